export { compileMessage, decodeFailure, encodeFailure, expectEnd, type MessageCodec } from './compile';
export { omissionTest, parseDefault, taggedAbsentValue } from './defaults';
export {
  NullableStructLayout,
  StructLayout,
  type StructField,
  type TaggedStructField,
} from './struct-layout';
export { MAX_VERSION, inVersions, isFlexible, parseVersionRange, type VersionRange } from './versions';
