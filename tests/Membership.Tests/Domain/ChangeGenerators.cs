using CsCheck;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Domain;

/// <summary>Random changes to Gia Lai's committee (<see cref="Scenario.FoundGiaLai"/>) by people and posts of the scenario.</summary>
internal static class ChangeGenerators
{
    private static readonly Holder[] Holders =
    [
        PersonSeat("vo-ngoc-thanh"), PersonSeat("truong-hai-long"), PersonSeat("ho-phuoc-thanh"), PersonSeat("nguyen-van-a"),
        PersonSeat("tran-thi-b"), PostSeat("chu-tich-gia-lai"), PostSeat("giam-doc-sxd-gia-lai"), new("nguyen-van-a", "giam-doc-stttt-gia-lai"),
    ];

    private static readonly RoleSet[] Roles =
    [
        RoleSet.Of(MembershipRole.Chair), RoleSet.Of(MembershipRole.Member), RoleSet.Of(MembershipRole.ViceChair),
        RoleSet.Of(MembershipRole.StandingMember, MembershipRole.Secretary),
    ];

    /// <summary>
    /// An appointment, a relief or a change of roles (of a holder's membership, or of one named by id), or a roster set
    /// whole; on a date from the committee's founding to about eight years after.
    /// </summary>
    public static readonly Gen<DecisionChange> Change =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, Holders.Length - 1], Gen.Int[0, 3000], Gen.Int[0, Roles.Length - 1], Gen.Int[1, 12])
            .Select((kind, holder, days, roles, membershipId) =>
            {
                var date = CivilDate.Of(new DateOnly(2019, 6, 20).AddDays(days));
                var target = new MembershipTarget("bcd-gia-lai", null, Holders[holder]);
                var byId = new MembershipTarget("bcd-gia-lai", membershipId.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                return kind switch
                {
                    0 => new Appoint("changes[0].appoint", date, "bcd-gia-lai", new RosterSeat(Holders[holder], Roles[roles])),
                    1 => new Relieve("changes[0].relieve", date, target, null),
                    2 => new ChangeRoles("changes[0].change_roles", date, target, Roles[roles]),
                    3 => new Relieve("changes[0].relieve", date, byId, null),
                    4 => new ChangeRoles("changes[0].change_roles", date, byId, Roles[roles]),
                    _ => (DecisionChange)new SetRoster("changes[0].set_roster", date, "bcd-gia-lai", [new RosterSeat(Holders[holder], Roles[roles])], null),
                };
            });
}
