package dev.trainyard.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag$;

/** Spark's Kryo serializer as the deploy scripts configure it (Trainyard's registrator, registration required). */
public final class KryoRoundTrip {
    private final SerializerInstance kryo = new KryoSerializer(new SparkConf()
            .set("spark.kryo.registrator", "dev.trainyard.runtime.TrainyardKryoRegistrator")
            .set("spark.kryo.registrationRequired", "true")).newInstance();

    /** The value serialised and read back. */
    @SuppressWarnings("unchecked")
    public <T> T of(T value) {
        var tag = ClassTag$.MODULE$.<T>apply(Object.class);
        return kryo.deserialize(kryo.serialize(value, tag), tag);
    }
}
