import type { ApiSpec } from '../spec';

/**
 * DescribeCluster (key 60): the brokers, the controller and the cluster id, as seen by the broker asked.
 */
export const DescribeCluster = {
  name: 'DescribeCluster',
  apiKey: 60,
  minVersion: 0,
  maxVersion: 1,
  request: {
    name: 'DescribeClusterRequest',
    type: 'request',
    apiKey: 60,
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '0+' },
      { name: 'endpointType', type: 'int8', versions: '1+', default: '1' },
    ],
  },
  response: {
    name: 'DescribeClusterResponse',
    type: 'response',
    apiKey: 60,
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      { name: 'endpointType', type: 'int8', versions: '1+', default: '1' },
      { name: 'clusterId', type: 'string', versions: '0+' },
      { name: 'controllerId', type: 'int32', versions: '0+', default: '-1' },
      {
        name: 'brokers',
        type: '[]DescribeClusterBroker',
        versions: '0+',
        fields: [
          { name: 'brokerId', type: 'int32', versions: '0+' },
          { name: 'host', type: 'string', versions: '0+' },
          { name: 'port', type: 'int32', versions: '0+' },
          { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
        ],
      },
      { name: 'clusterAuthorizedOperations', type: 'int32', versions: '0+', default: '-2147483648' },
    ],
  },
} as const satisfies ApiSpec;
