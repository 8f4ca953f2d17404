package io.sophonsight.gateway.push;

import java.util.Set;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Leaves the push receivers out of Spring's {@code http.server.requests} observation unless
 * {@code push.observe-http-requests} is true. Pushes are measured by Camel's per-route timers
 * ({@code camel_route_policy_seconds{routeId="access-record-push"}}) and {@code gateway_access_events_total};
 * a second timer per push, with its tags and observation handlers, was measurable CPU per push at
 * high rates and told nothing new. Every other path (REST API, actuator) keeps its observation.
 */
@Configuration(proxyBeanMethods = false)
public class PushRequestObservation {

    @Bean
    public ObservationPredicate pushRequestsObservedOnlyByCamel(PushProperties push) {
        String accessPath = push.accessPath();
        String deviceStatusPath = push.deviceStatusPath();
        boolean observe = push.observeHttpRequests();
        Set<String> pushPaths = Set.of(accessPath, deviceStatusPath);
        return (name, context) -> observe || !(context instanceof ServerRequestObservationContext request
                && pushPaths.contains(request.getCarrier().getRequestURI()));
    }
}
