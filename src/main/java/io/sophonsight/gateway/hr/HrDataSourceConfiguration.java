package io.sophonsight.gateway.hr;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The two databases of the gateway. A second DataSource switches off Spring Boot's DataSource
 * auto-configuration, so the gateway's own database is declared here too, as the {@code @Primary}
 * bean {@code dataSource} bound from {@code spring.datasource.*}: Flyway and every {@code sql:}
 * endpoint that names no other keep using it. The HR database is {@code hrDataSource}, bound from
 * {@code hr.datasource.*}; HR endpoints name it ({@code dataSource=#hrDataSource}).
 */
@Configuration(proxyBeanMethods = false)
public class HrDataSourceConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HrDataSourceConfiguration.class);

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource")
    public DataSourceProperties dataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(DataSourceProperties dataSourceProperties) {
        return dataSourceProperties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    @Bean
    @ConfigurationProperties("hr.datasource")
    public DataSourceProperties hrDataSourceProperties() {
        return new DataSourceProperties();
    }

    /** The HR database, read only by the hr.sql.* queries; seeded with the sample when hr.sample.enabled. */
    @Bean
    @ConfigurationProperties("hr.datasource.hikari")
    public HikariDataSource hrDataSource(@Qualifier("hrDataSourceProperties") DataSourceProperties properties) {
        HikariDataSource hr = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        hr.setPoolName("hr");
        return hr;
    }

    /**
     * Creates and fills the sample HR schema once, with its own Flyway history table (never the
     * gateway's). A singleton, so it is done before Camel starts the routes that read HR.
     */
    @Bean
    @ConditionalOnProperty(name = "hr.sample.enabled", havingValue = "true")
    public HrSampleData hrSampleData(@Qualifier("hrDataSource") DataSource hr,
                                     HrProperties hrProperties) {
        HrSampleData sample = new HrSampleData(hrProperties.sample().people());
        int applied = Flyway.configure()
                .dataSource(hr)
                .locations("classpath:hr/sample")
                .javaMigrations(sample.migration())
                .table("hr_sample_schema_history")
                .load()
                .migrate()
                .migrationsExecuted;
        if (applied > 0) {
            LOG.info("Sample HR database created ({} people); set HR_SAMPLE_ENABLED=false to read your own HR",
                    hrProperties.sample().people());
        }
        return sample;
    }
}
