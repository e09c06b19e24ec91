export { cursor, describe, KafkaLayout, need, underflow, type Cursor } from './layout';
export {
  Float64Layout,
  Int16Layout,
  Int32Layout,
  Int64Layout,
  Int8Layout,
  UInt16Layout,
  UInt32Layout,
  float64,
  int16,
  int32,
  int64,
  int8,
  uint16,
  uint32,
} from './int';
export { BooleanLayout, boolean } from './boolean';
export {
  UnsignedVarIntLayout,
  VarIntLayout,
  VarLongLayout,
  readUVarInt,
  readVarInt,
  readVarLong,
  sizeOfUVarInt,
  sizeOfVarInt,
  sizeOfVarLong,
  uvarint,
  varint,
  varlong,
  writeUVarInt,
  writeVarInt,
  writeVarLong,
} from './varint';
export { StringLayout, compactNullableString, compactString, nullableString, string } from './string';
export { BytesLayout, bytes, compactBytes, compactNullableBytes, nullableBytes } from './bytes';
export {
  GATHER_MIN_BYTES,
  RecordsLayout,
  compactRecords,
  gatherRecords,
  records,
  type GatheredRecords,
} from './records';
export { ArrayLayout } from './array';
export { UuidLayout, ZERO_UUID, uuid } from './uuid';
export {
  TaggedFieldsLayout,
  byTag,
  readTaggedFieldCount,
  readTaggedFieldHeader,
  sizeOfRawTaggedField,
  taggedFields,
  writeRawTaggedField,
  type RawTaggedField,
} from './tagged-fields';
