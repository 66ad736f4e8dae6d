package dev.trainyard.runtime;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * {@code spark.kryo.registrator} for Trainyard jobs: ND4J's registrations (INDArrays serialised
 * natively), records through their components ({@link RecordSerializer}: Kryo 4 cannot write them
 * field by field on Java 17), and every class Trainyard ships between JVMs, so the deploy scripts can
 * run with {@code spark.kryo.registrationRequired=true}: a stream can then name no class outside
 * this list, Spark's and ND4J's.
 */
public final class TrainyardKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        new Nd4jRegistrator().registerClasses(kryo);
        kryo.addDefaultSerializer(Record.class, RecordSerializer.class);
        Dl4jConfigurationSerializer.register(kryo);
        for (Class<?> c : KryoClasses.all()) {
            kryo.register(c);
        }
    }
}
