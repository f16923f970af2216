using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.V1;
using Proto = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Tests.Mapping;

public class ChangeMapperTests
{
    private static readonly Proto.CivilDate June2019 = new() { Year = 2019, Month = 6, Precision = Proto.DatePrecision.Month };

    [Fact]
    public void Contract_changes_become_engine_commands_with_their_field_paths()
    {
        var request = new PreviewChangesRequest
        {
            Decision = "decisions/qd-337-2019",
            EffectiveDate = June2019,
            OwnerOrganisation = "province-2020-64",
            Changes =
            {
                new Proto.Change
                {
                    Appoint = new Proto.Appoint
                    {
                        Committee = "committees/bcd-gia-lai",
                        Entry = new Proto.RosterEntry
                        {
                            Holder = new Proto.Holder { Post = "posts/giam-doc-sxd-gia-lai" },
                            Roles = { Proto.MembershipRole.StandingMember, Proto.MembershipRole.Secretary },
                        },
                    },
                },
                new Proto.Change
                {
                    EffectiveDate = new Proto.CivilDate { Year = 2019, Month = 7, Day = 1, Precision = Proto.DatePrecision.Day },
                    Relieve = new Proto.Relieve { Membership = "committees/bcd-gia-lai/memberships/3", Reason = "Nghỉ hưu" },
                },
            },
        };

        var (decision, problems) = ChangeMapper.FromPreview(request);

        Assert.Empty(problems);
        Assert.Equal(("qd-337-2019", CivilDate.OfMonth(2019, 6), "province-2020-64"), (decision!.DecisionId, decision.EffectiveDate, decision.OwnerOrganisation));
        var appoint = Assert.IsType<Appoint>(decision.Changes[0]);
        Assert.Equal(("changes[0].appoint", "bcd-gia-lai", new Holder(null, "giam-doc-sxd-gia-lai")), (appoint.Path, appoint.CommitteeId, appoint.Seat.Holder));
        Assert.Equal([MembershipRole.StandingMember, MembershipRole.Secretary], appoint.Seat.Roles.Roles);
        var relieve = Assert.IsType<Relieve>(decision.Changes[1]);
        Assert.Equal((new MembershipTarget("bcd-gia-lai", "3", null), CivilDate.Of(2019, 7, 1), "Nghỉ hưu"), (relieve.Target, relieve.EffectiveDate!.Value, relieve.Reason));
    }

    [Fact]
    public void Malformed_input_is_reported_all_at_once_with_field_paths()
    {
        var request = new PreviewChangesRequest
        {
            EffectiveDate = new Proto.CivilDate { Year = 2019, Month = 2, Day = 30, Precision = Proto.DatePrecision.Day },
            Changes =
            {
                new Proto.Change(),
                new Proto.Change { Appoint = new Proto.Appoint { Committee = "committee/x", Entry = new Proto.RosterEntry { Holder = new Proto.Holder(), Roles = { (Proto.MembershipRole)99 } } } },
                new Proto.Change { MergeCommittees = new Proto.MergeCommittees { Committees = { "committees/a-b", "committees/UPPER" } } },
            },
        };

        var (decision, problems) = ChangeMapper.FromPreview(request);

        Assert.Null(decision);
        Assert.Equal(
            [
                ("effective_date", "INVALID_DATE"),
                ("changes[0]", "MISSING_CHANGE"),
                ("changes[1].appoint.committee", "INVALID_NAME"),
                ("changes[1].appoint.entry.holder", "MISSING_HOLDER"),
                ("changes[1].appoint.entry.roles[0]", "INVALID_ENUM"),
                ("changes[2].merge_committees.committees[1]", "INVALID_NAME"),
                ("changes[2].merge_committees.successor", "MISSING_NAME"),
                ("owner_organisation", "MISSING_OWNER"),
            ],
            problems.Select(p => (p.Field, p.Reason)));
    }

    [Fact]
    public void Names_are_stored_in_nfc()
    {
        var decomposed = "Ban chi\u0309 đạo".Normalize(System.Text.NormalizationForm.FormD);
        var request = new PreviewChangesRequest
        {
            EffectiveDate = June2019,
            OwnerOrganisation = "national",
            Changes = { new Proto.Change { RenameCommittee = new Proto.RenameCommittee { Committee = "committees/bcd-gia-lai", DisplayName = decomposed } } },
        };

        var rename = Assert.IsType<RenameCommittee>(Assert.Single(ChangeMapper.FromPreview(request).Decision!.Changes));

        Assert.Equal("Ban chỉ đạo", rename.DisplayName);
    }
}
