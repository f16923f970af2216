using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Domain;

public class RegisterReferencesTests
{
    [Fact]
    public void A_decision_refers_to_its_subjects_and_to_what_each_change_names()
    {
        var decision = Decision(
            "d1",
            D(2020, 1, 1),
            GiaLai,
            EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair)),
            new Relieve("changes[2].relieve", null, new MembershipTarget("bcd-kon-tum", "m-7", PersonSeat("nguyen-van-a")), null),
            new MergeCommittees("changes[3].merge_committees", null, ["bcd-a", "bcd-b"], "bcd-c"),
            new AssignPostHolder("changes[4].assign_post_holder", null, "giam-doc-so", "tran-thi-b"),
            new RevokeDecisionEffects("changes[5].revoke_decision_effects", null, "d0")) with { SubjectCommitteeIds = ["bcd-subject"] };

        var references = RegisterReferences.Of(decision);

        Assert.Equal(["bcd-a", "bcd-b", "bcd-c", "bcd-gia-lai", "bcd-kon-tum", "bcd-subject"], Sorted(references.CommitteeIds));
        Assert.Equal(["chu-tich-gia-lai", "giam-doc-so"], Sorted(references.PostIds));
        Assert.Equal(["nguyen-van-a", "tran-thi-b"], Sorted(references.PersonIds));
        Assert.Equal([GiaLai], Sorted(references.Jurisdictions));
        Assert.Equal(["d0"], references.RevokedDecisionIds);
        Assert.Equal(["m-7"], references.MembershipIds);
    }

    private static List<string> Sorted(IEnumerable<string> ids) => [.. ids.Order(StringComparer.Ordinal)];
}
