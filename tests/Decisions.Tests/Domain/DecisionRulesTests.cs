using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Mapping;
using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Types.V1;
using DatePrecision = Egov.Steering.Decisions.Domain.DatePrecision;

namespace Egov.Steering.Decisions.Tests.Domain;

/// <summary>This service's own checks before issuing: one test per rule, and every problem reported at once.</summary>
public sealed class DecisionRulesTests
{
    private static readonly DateTime Now = new(2025, 7, 10, 3, 0, 0, DateTimeKind.Utc);

    private static readonly DecisionDraft Complete = new()
    {
        Number = "337/QĐ-UBND",
        IssuerOrganisation = "province-2025-52",
        IssuerDisplayName = "Ủy ban nhân dân tỉnh Gia Lai",
        Signer = new Signatory("Võ Ngọc Thành", "Chủ tịch", string.Empty),
        SignedDate = Day(2025, 7, 10),
        EffectiveDate = Day(2025, 7, 10),
        Kinds = [DecisionKind.Consolidate],
        SubjectCommittees = ["committees/province-2025-52"],
        Title = "Về việc kiện toàn Ban Chỉ đạo",
        Changes = [new Change { DissolveWorkingGroup = new DissolveWorkingGroup { WorkingGroup = "committees/province-2025-52/workingGroups/tgv" } }.ToDomain()],
    };

    private static readonly SecondarySource NewsReport = new("https://baogialai.com.vn/tin", "Kiện toàn Ban Chỉ đạo", "Báo Gia Lai", null);

    [Fact]
    public void A_complete_decision_has_no_problem() => Assert.Empty(Check(Complete));

    [Fact]
    public void The_number_is_required_without_a_cited_source()
    {
        Assert.Equal(["number:MISSING_NUMBER"], Check(Complete with { Number = string.Empty }));
        Assert.Empty(Check(Complete with { Number = string.Empty, Source = NewsReport }));
    }

    [Fact]
    public void A_number_the_issuer_already_used_is_a_problem() =>
        Assert.Equal(["number:NUMBER_ALREADY_USED"], Check(Complete, numberUsedBy: "decisions/earlier"));

    [Fact]
    public void The_signer_is_required_without_a_cited_source()
    {
        Assert.Equal(["signer:MISSING_SIGNER"], Check(Complete with { Signer = null }));
        Assert.Empty(Check(Complete with { Signer = null, Source = NewsReport }));
    }

    [Fact]
    public void The_effective_date_is_required() =>
        Assert.Equal(["effective_date:MISSING_EFFECTIVE_DATE"], Check(Complete with { EffectiveDate = null }));

    [Fact]
    public void A_date_known_only_to_the_year_or_month_needs_a_cited_source()
    {
        var imprecise = Complete with { SignedDate = new CivilDay(2025, 7, 0, DatePrecision.Month), EffectiveDate = new CivilDay(2025, 0, 0, DatePrecision.Year) };
        Assert.Equal(["signed_date:IMPRECISE_DATE_WITHOUT_SOURCE", "effective_date:IMPRECISE_DATE_WITHOUT_SOURCE"], Check(imprecise));
        Assert.Empty(Check(imprecise with { Source = NewsReport }));
    }

    [Fact]
    public void Taking_effect_before_signature_is_out_of_order()
    {
        Assert.Equal(["effective_date:DATES_OUT_OF_ORDER"], Check(Complete with { EffectiveDate = Day(2025, 7, 9) }));

        // "2025" signed and 2025-01-15 effective may well be in order: only a certain inversion counts.
        Assert.Empty(Check(Complete with { SignedDate = new CivilDay(2025, 0, 0, DatePrecision.Year), EffectiveDate = Day(2025, 1, 15), Source = NewsReport }));
    }

    [Fact]
    public void A_change_taking_effect_before_signature_is_out_of_order()
    {
        var change = new Change { EffectiveDate = Drafts.Day(2025, 6, 30), DissolveWorkingGroup = new DissolveWorkingGroup { WorkingGroup = "committees/province-2025-52/workingGroups/y" } };
        Assert.Equal(["changes[1].effective_date:DATES_OUT_OF_ORDER"], Check(Complete with { Changes = [.. Complete.Changes, change.ToDomain()] }));
    }

    [Fact]
    public void At_least_one_kind_is_required() => Assert.Equal(["kinds:MISSING_KIND"], Check(Complete with { Kinds = [] }));

    [Fact]
    public void At_least_one_subject_committee_is_required() =>
        Assert.Equal(["subject_committees:MISSING_SUBJECT_COMMITTEE"], Check(Complete with { SubjectCommittees = [] }));

    [Fact]
    public void Every_committee_a_change_acts_on_must_be_a_subject_committee()
    {
        const string merged = "committees/province-2019-64";
        var changes = new List<Change>
        {
            new() { Relieve = new Relieve { Membership = merged + "/memberships/m-1" } },
            new() { EstablishCommittee = new EstablishCommittee { CommitteeId = "gia-lai-2025" } },
            new() { MergeCommittees = new MergeCommittees { Committees = { merged, "committees/province-2025-52" }, Successor = "committees/gia-lai-2025" } },
            new() { AssignPostHolder = new AssignPostHolder { Post = "posts/chu-tich-ubnd-gia-lai" } }, // names no committee
        };
        var decision = Complete with { Changes = [.. Complete.Changes, .. changes.Select(change => change.ToDomain())] };

        Assert.Equal(
            [
                "changes[1].relieve.membership:COMMITTEE_NOT_A_SUBJECT", "changes[2].establish_committee.committee_id:COMMITTEE_NOT_A_SUBJECT",
                "changes[3].merge_committees.committees[0]:COMMITTEE_NOT_A_SUBJECT", "changes[3].merge_committees.successor:COMMITTEE_NOT_A_SUBJECT",
            ],
            Check(decision));
        Assert.Empty(Check(decision with { SubjectCommittees = ["committees/gia-lai-2025", "committees/province-2025-52", merged] }));
    }

    [Fact]
    public void At_least_one_change_is_required() => Assert.Equal(["changes:NO_CHANGES"], Check(Complete with { Changes = [] }));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var broken = Complete with { Number = string.Empty, Signer = null, EffectiveDate = Day(2025, 7, 1), Kinds = [], SubjectCommittees = [], Changes = [] };

        Assert.Equal(
            [
                "number:MISSING_NUMBER", "signer:MISSING_SIGNER", "effective_date:DATES_OUT_OF_ORDER", "kinds:MISSING_KIND",
                "subject_committees:MISSING_SUBJECT_COMMITTEE", "changes:NO_CHANGES",
            ],
            Check(broken));
    }

    [Fact]
    public void A_revocation_carries_kind_revoke_and_first_ends_the_revoked_decisions_effects()
    {
        var revoked = Decision.Create("qd-337", "province-2025-52", Complete, Now);
        var revoking = Decision.CreateRevocation("qd-999", "province-2025-52", revoked, ChangeMapping.EndingEffectsOf(revoked.Name), Complete with { Kinds = [] }, Now);

        Assert.Equal([DecisionKind.Revoke], revoking.Kinds);
        Assert.Equal("decisions/qd-337", revoking.Changes[0].ToMessage().RevokeDecisionEffects.Decision);
        Assert.Equal("decisions/qd-337", revoking.Revokes);
        Assert.Empty(DecisionRules.Check(revoking, numberUsedBy: null));

        // Issued after the revoked decision on each of its committees, even when the draft names others.
        var naming = Decision.CreateRevocation("qd-1000", "province-2025-52", revoked, ChangeMapping.EndingEffectsOf(revoked.Name), Complete with { SubjectCommittees = ["committees/province-2019-64"] }, Now);
        Assert.Equal(["committees/province-2025-52", "committees/province-2019-64"], naming.SubjectCommittees);
    }

    private static CivilDay Day(int year, int month, int day) => new(year, month, day, DatePrecision.Day);

    private static List<string> Check(DecisionDraft draft, string? numberUsedBy = null) =>
        DecisionRules.Check(Decision.Create("qd-337", "province-2025-52", draft, Now), numberUsedBy)
            .Select(problem => $"{problem.Field}:{problem.Reason}")
            .ToList();
}
