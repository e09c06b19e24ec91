import type { OffsetToCommit } from './offset-to-commit';

/** What happens in a group, as the coordinator sees it: for tests that watch a rebalance. */
export type GroupEvent =
  | { readonly type: 'member-joined'; readonly groupId: string; readonly memberId: string }
  | {
      readonly type: 'member-replaced';
      readonly groupId: string;
      readonly memberId: string;
      readonly oldMemberId: string;
    }
  | { readonly type: 'member-expired'; readonly groupId: string; readonly memberId: string }
  | {
      readonly type: 'member-removed';
      readonly groupId: string;
      readonly memberId: string;
      readonly reason: string;
    }
  | {
      readonly type: 'rebalance-started';
      readonly groupId: string;
      readonly generationId: number;
      readonly reason: string;
    }
  | {
      readonly type: 'generation';
      readonly groupId: string;
      readonly generationId: number;
      readonly members: readonly string[];
    }
  | { readonly type: 'stable'; readonly groupId: string; readonly generationId: number }
  | {
      readonly type: 'offsets-committed';
      readonly groupId: string;
      readonly offsets: readonly OffsetToCommit[];
    };
