export type { Deserializer, DeserializerContext, Deserializers, RecordPart } from './deserializer';
export type { Serializer, SerializerContext, Serializers } from './serializer';
export { deserializers } from './deserializers';
export { serializers } from './serializers';
export { DeserializationError } from './deserialization-error';
export { SerializationError } from './serialization-error';
