package dev.trainyard.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Kryo serialisation of a Java record through its public shape: each component by its accessor,
 * back through the canonical constructor (so a record's own checks run on what is read). Kryo 4,
 * Spark 3.5's, cannot write records field by field on Java 17, and Java serialization would let a
 * stream name any class; this reads only the classes Kryo has registered.
 */
public final class RecordSerializer<T extends Record> extends Serializer<T> {
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;

    public RecordSerializer(Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            accessors = new MethodHandle[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                var accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                accessors[i] = lookup.unreflect(accessor);
                types[i] = components[i].getType();
            }
            var ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            constructor = lookup.unreflectConstructor(ctor).asSpreader(Object[].class, types.length);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot serialise record " + type.getName() + " by its components", e);
        }
    }

    @Override
    public void write(Kryo kryo, Output output, T record) {
        for (MethodHandle accessor : accessors) {
            try {
                kryo.writeClassAndObject(output, accessor.invoke(record));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    @Override
    public T read(Kryo kryo, Input input, Class<T> type) {
        Object[] values = new Object[accessors.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = kryo.readClassAndObject(input);
        }
        try {
            return type.cast(constructor.invoke(values));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot rebuild " + type.getName() + " from " + Arrays.toString(values), t);
        }
    }
}
