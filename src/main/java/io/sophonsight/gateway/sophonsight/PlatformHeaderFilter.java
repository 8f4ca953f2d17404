package io.sophonsight.gateway.sophonsight;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * The header whitelist of every call to the platform (the HTTP endpoint of {@code sophonsight-exchange}, the
 * one step all platform calls share): no header of the Camel message becomes an HTTP header. What the platform
 * needs travels elsewhere: the URL and the {@code token} query come from {@code CamelHttpUri}/{@code CamelHttpQuery},
 * the Content-Type from the signed body's entity; the HTTP client adds only Host, Content-Length, Connection,
 * User-Agent and Accept-Encoding. So a header a flow picked up from its own caller (an inbound
 * {@code Authorization}, {@code X-Api-Key}, {@code Cookie}, a query parameter) or set for itself never reaches
 * the platform. Answers are read as Camel's HTTP component reads them (its default inbound filter).
 */
@Component("sophonSightHeaderFilter")
public class PlatformHeaderFilter extends HttpHeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
