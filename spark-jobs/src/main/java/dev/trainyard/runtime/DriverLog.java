package dev.trainyard.runtime;

import org.apache.spark.api.plugin.DriverPlugin;
import org.slf4j.Logger;

/** The driver side of Trainyard's plugins: what executors report lands in the driver's log. */
final class DriverLog implements DriverPlugin {
    private final Logger log;

    DriverLog(Logger log) {
        this.log = log;
    }

    @Override
    public Object receive(Object message) {
        log.info("{}", message);
        return null;
    }
}
