/**
 * Build-time generator of Gregor's Kafka message classes from the JSON specs in kafka-clients.
 *
 * <p>Pipeline: {@link io.gregor.protocol.gen.SpecReader} binds each spec to
 * {@link io.gregor.protocol.gen.MessageSpec}; {@link io.gregor.protocol.gen.SpecPatches} applies
 * our few deliberate departures; {@link io.gregor.protocol.gen.MessageClassWriter} emits one class
 * per spec, delegating each struct to {@code StructWriter} and each value's encoding to
 * {@code FieldCodec}; {@code ApiKeyWriter} emits the {@code ApiKey} enum.
 *
 * <p>Generated code decides versions with plain {@code if (version >= n)} tests, keeps primitive
 * fields unboxed and uses no reflection; the shared encodings live in
 * {@code io.gregor.protocol.wire.WireFormat}.
 */
package io.gregor.protocol.gen;
