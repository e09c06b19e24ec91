import type { RequestOf } from '../protocol/spec-types';
import type { CreateAcls, DescribeAcls } from '../protocol/specs';

/** Kafka's ResourceType, by name; `any` only in filters. */
export type AclResourceType =
  'any' | 'topic' | 'group' | 'cluster' | 'transactional-id' | 'delegation-token' | 'user';
/** Kafka's PatternType: a name taken as is or as a prefix; `any` and `match` only in filters. */
export type AclPatternType = 'any' | 'match' | 'literal' | 'prefixed';
/** Kafka's AclOperation; `any` only in filters. */
export type AclOperation =
  | 'any'
  | 'all'
  | 'read'
  | 'write'
  | 'create'
  | 'delete'
  | 'alter'
  | 'describe'
  | 'cluster-action'
  | 'describe-configs'
  | 'alter-configs'
  | 'idempotent-write'
  | 'create-tokens'
  | 'describe-tokens'
  | 'two-phase-commit';
/** Kafka's AclPermissionType; `any` only in filters. */
export type AclPermission = 'any' | 'deny' | 'allow';

/** One ACL: who (`principal`, e.g. `User:alice`, from `host`) may or may not do what on which resource. */
export interface AclBinding {
  readonly resourceType: Exclude<AclResourceType, 'any'>;
  /** `kafka-cluster` for the cluster. */
  readonly resourceName: string;
  /** Default `'literal'`. */
  readonly patternType?: 'literal' | 'prefixed';
  readonly principal: string;
  /** Default `'*'`. */
  readonly host?: string;
  readonly operation: Exclude<AclOperation, 'any'>;
  readonly permission: Exclude<AclPermission, 'any'>;
}

/** Which bindings to describe or delete: every field left out matches anything. */
export interface AclFilter {
  readonly resourceType?: AclResourceType;
  readonly resourceName?: string | null;
  /** Default `'any'`; `'match'` also finds the prefixed and wildcard bindings that apply to a name. */
  readonly patternType?: AclPatternType;
  readonly principal?: string | null;
  readonly host?: string | null;
  readonly operation?: AclOperation;
  readonly permission?: AclPermission;
}

const RESOURCE_TYPES: readonly AclResourceType[] = [
  'any',
  'any',
  'topic',
  'group',
  'cluster',
  'transactional-id',
  'delegation-token',
  'user',
];
const PATTERN_TYPES: readonly AclPatternType[] = ['any', 'any', 'match', 'literal', 'prefixed'];
const OPERATIONS: readonly AclOperation[] = [
  'any',
  'any',
  'all',
  'read',
  'write',
  'create',
  'delete',
  'alter',
  'describe',
  'cluster-action',
  'describe-configs',
  'alter-configs',
  'idempotent-write',
  'create-tokens',
  'describe-tokens',
  'two-phase-commit',
];
const PERMISSIONS: readonly AclPermission[] = ['any', 'any', 'deny', 'allow'];

/** The code of a name in one of Kafka's ACL enums (index 0 is UNKNOWN, never sent). */
const code = <T>(list: readonly T[], name: T): number => list.indexOf(name, 1);

/** The fields of CreateAcls' AclCreation for a binding. */
export function aclCreation(b: AclBinding): RequestOf<typeof CreateAcls>['creations'][number] {
  return {
    resourceType: code(RESOURCE_TYPES, b.resourceType),
    resourceName: b.resourceName,
    resourcePatternType: code(PATTERN_TYPES, b.patternType ?? 'literal'),
    principal: b.principal,
    host: b.host ?? '*',
    operation: code(OPERATIONS, b.operation),
    permissionType: code(PERMISSIONS, b.permission),
  };
}

/** The fields of DescribeAcls' request and DeleteAcls' DeleteAclsFilter for a filter. */
export function aclFilter(f: AclFilter): RequestOf<typeof DescribeAcls> {
  return {
    resourceTypeFilter: code(RESOURCE_TYPES, f.resourceType ?? 'any'),
    resourceNameFilter: f.resourceName ?? null,
    patternTypeFilter: code(PATTERN_TYPES, f.patternType ?? 'any'),
    principalFilter: f.principal ?? null,
    hostFilter: f.host ?? null,
    operation: code(OPERATIONS, f.operation ?? 'any'),
    permissionType: code(PERMISSIONS, f.permission ?? 'any'),
  };
}

/** A binding from a response (a resource's fields and one of its ACLs). */
export function aclBinding(
  resource: { readonly resourceType: number; readonly resourceName: string; readonly patternType: number },
  acl: {
    readonly principal: string;
    readonly host: string;
    readonly operation: number;
    readonly permissionType: number;
  },
): AclBinding {
  return {
    resourceType: RESOURCE_TYPES[resource.resourceType] as AclBinding['resourceType'],
    resourceName: resource.resourceName,
    patternType: PATTERN_TYPES[resource.patternType] as 'literal' | 'prefixed',
    principal: acl.principal,
    host: acl.host,
    operation: OPERATIONS[acl.operation] as AclBinding['operation'],
    permission: PERMISSIONS[acl.permissionType] as AclBinding['permission'],
  };
}
