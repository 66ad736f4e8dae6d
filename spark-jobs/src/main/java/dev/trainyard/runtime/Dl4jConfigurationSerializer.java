package dev.trainyard.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

import java.util.function.Function;

/**
 * DL4J network configurations through Kryo as their JSON, the form model files store them in:
 * the object graph below them (every layer, activation and updater class) never reaches Kryo, so
 * registration covers any network, and what is read is data, not a class a stream names.
 */
final class Dl4jConfigurationSerializer<T> extends Serializer<T> {
    private final Function<T, String> toJson;
    private final Function<String, T> fromJson;

    private Dl4jConfigurationSerializer(Function<T, String> toJson, Function<String, T> fromJson) {
        this.toJson = toJson;
        this.fromJson = fromJson;
    }

    static void register(Kryo kryo) {
        kryo.register(ComputationGraphConfiguration.class, new Dl4jConfigurationSerializer<>(ComputationGraphConfiguration::toJson,
                ComputationGraphConfiguration::fromJson));
        kryo.register(MultiLayerConfiguration.class, new Dl4jConfigurationSerializer<>(MultiLayerConfiguration::toJson,
                MultiLayerConfiguration::fromJson));
        kryo.register(NeuralNetConfiguration.class, new Dl4jConfigurationSerializer<>(NeuralNetConfiguration::toJson,
                NeuralNetConfiguration::fromJson));
    }

    @Override
    public void write(Kryo kryo, Output output, T conf) {
        output.writeString(toJson.apply(conf));
    }

    @Override
    public T read(Kryo kryo, Input input, Class<T> type) {
        return fromJson.apply(input.readString());
    }
}
