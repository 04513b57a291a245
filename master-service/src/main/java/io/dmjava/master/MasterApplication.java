package io.dmjava.master;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The DM master: one per machine, all sharing one etcd cluster; one of them leads. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MasterApplication {
    public static void main(String[] args) {
        SpringApplication.run(MasterApplication.class, args);
    }
}
