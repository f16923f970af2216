using CsCheck;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Domain;

/// <summary>Whatever sequence of decisions is applied, the register never holds two chairs or disordered dates.</summary>
public class InvariantPropertyTests
{
    [Fact]
    public void No_two_chairs_share_a_day_and_every_membership_ends_after_it_starts()
    {
        ChangeGenerators.Change.Array[1, 25].Sample(changes =>
        {
            var scenario = new Scenario();
            scenario.FoundGiaLai();
            for (var i = 0; i < changes.Length; i++)
            {
                DecisionEngine.Apply(scenario.Register, Decision("d" + i, D(2019, 6, 20), GiaLai, changes[i]));
            }

            var memberships = scenario.Register.FindCommittee("bcd-gia-lai")!.Memberships;
            var chairs = memberships.SelectMany(m => m.RolePeriods.Where(p => p.Roles.Contains(MembershipRole.Chair))).ToList();
            var twoChairs = chairs.SelectMany((a, i) => chairs.Skip(i + 1).Where(b => a.Overlaps(b))).Any();
            var disordered = memberships.Any(m => m.End is { } end && end < m.Start);
            var doubleSeat = memberships.SelectMany((a, i) => memberships.Skip(i + 1).Where(b => a.Holder.SharesSeatWith(b.Holder) && a.Overlaps(b))).Any();
            return !twoChairs && !disordered && !doubleSeat;
        });
    }
}
