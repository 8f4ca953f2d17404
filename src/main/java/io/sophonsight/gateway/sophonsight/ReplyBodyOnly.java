package io.sophonsight.gateway.sophonsight;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Enrich strategy of the call step: the caller keeps its own headers and properties and
 * receives only the platform's {@code data} as its new body, so flows can call the platform
 * in the middle of a story without losing the context they carry.
 */
@Component("sophonSightReplyBodyOnly")
public class ReplyBodyOnly implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange original, Exchange reply) {
        if (reply == null) {
            return original;
        }
        if (reply.getException() != null) {
            original.setException(reply.getException());
            return original;
        }
        original.getMessage().setBody(reply.getMessage().getBody());
        return original;
    }
}
