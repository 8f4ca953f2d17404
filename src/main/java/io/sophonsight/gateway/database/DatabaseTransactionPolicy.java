package io.sophonsight.gateway.database;

import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the steps of a {@code policy: {ref: databaseTransaction}} block in one transaction of the
 * gateway's database: every {@code sql:} step inside commits together, or, if any step fails, none
 * does. Unlike {@code transacted}, the failure then reaches the route's own error handling
 * unchanged (a push receiver answers 500, so the platform sends the push again).
 */
@Component("databaseTransaction")
public class DatabaseTransactionPolicy implements Policy {

    private final TransactionTemplate transactions;

    public DatabaseTransactionPolicy(PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        Processor steps = AsyncProcessorConverterHelper.convert(processor);
        return exchange -> transactions.executeWithoutResult(status -> {
            try {
                steps.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                status.setRollbackOnly();
            }
        });
    }
}
