namespace Egov.Steering.Membership.UseCases;

/// <summary>
/// Every use case of the register, one class per resource: what MembershipService's thin gRPC methods call. They
/// speak domain types and run without gRPC; the idempotent, audited transaction around a write is the caller's
/// (the gRPC edge's <c>IdempotentWrites</c>, keyed by the request).
/// </summary>
public sealed record MembershipUseCases(
    CommitteeUseCases Committees,
    CommitteeMembershipUseCases Memberships,
    WorkingGroupUseCases WorkingGroups,
    PeopleUseCases People,
    PostUseCases Posts,
    ComplianceRuleUseCases ComplianceRules,
    ChangePreviewUseCase Preview);
