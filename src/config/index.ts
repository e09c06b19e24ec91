export { ConfigError } from './config-error';
export { describeValue } from './describe-value';
export { didYouMean } from './did-you-mean';
export {
  booleanOption,
  checkOptionNames,
  integerOption,
  stringOption,
  type OptionNames,
} from './check-options';
