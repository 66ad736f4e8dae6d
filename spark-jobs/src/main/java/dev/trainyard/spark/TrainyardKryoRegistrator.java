package dev.trainyard.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * {@code spark.kryo.registrator} for Trainyard jobs: ND4J's registrations (INDArrays serialised
 * natively), plus Java serialization for records. Spark 3.5's Kryo 4 cannot serialise records by
 * field (the JDK refuses it their field offsets), and Trainyard broadcasts and caches records.
 */
public final class TrainyardKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        new Nd4jRegistrator().registerClasses(kryo);
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
    }
}
