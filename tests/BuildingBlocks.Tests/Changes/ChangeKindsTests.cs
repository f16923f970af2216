using Egov.Steering.Changes;
using Egov.Steering.Types.V1;

namespace Egov.Steering.BuildingBlocks.Tests.Changes;

public class ChangeKindsTests
{
    public static TheoryData<Change.KindOneofCase> Kinds => [.. Enum.GetValues<Change.KindOneofCase>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_of_change_reaches_the_visitor_method_of_its_name(Change.KindOneofCase kind)
    {
        var change = new Change();
        if (kind != Change.KindOneofCase.None)
        {
            // Set through the descriptor: a kind added to the proto is tested without editing this test.
            var field = Change.Descriptor.FindFieldByNumber((int)kind);
            field.Accessor.SetValue(change, Activator.CreateInstance(field.MessageType.ClrType));
        }

        Assert.Equal(kind == Change.KindOneofCase.None ? nameof(KindNames.NoKind) : kind.ToString(), change.Accept(new KindNames()));
    }

    private sealed class KindNames : IChangeVisitor<string>
    {
        public string EstablishCommittee(EstablishCommittee change) => nameof(EstablishCommittee);

        public string SetRoster(SetRoster change) => nameof(SetRoster);

        public string Appoint(Appoint change) => nameof(Appoint);

        public string Relieve(Relieve change) => nameof(Relieve);

        public string ChangeRoles(ChangeRoles change) => nameof(ChangeRoles);

        public string SetMandate(SetMandate change) => nameof(SetMandate);

        public string SetFocalAgency(SetFocalAgency change) => nameof(SetFocalAgency);

        public string RenameCommittee(RenameCommittee change) => nameof(RenameCommittee);

        public string EstablishWorkingGroup(EstablishWorkingGroup change) => nameof(EstablishWorkingGroup);

        public string SetWorkingGroupMembers(SetWorkingGroupMembers change) => nameof(SetWorkingGroupMembers);

        public string DissolveWorkingGroup(DissolveWorkingGroup change) => nameof(DissolveWorkingGroup);

        public string MergeCommittees(MergeCommittees change) => nameof(MergeCommittees);

        public string DissolveCommittee(DissolveCommittee change) => nameof(DissolveCommittee);

        public string AssignPostHolder(AssignPostHolder change) => nameof(AssignPostHolder);

        public string RevokeDecisionEffects(RevokeDecisionEffects change) => nameof(RevokeDecisionEffects);

        public string NoKind() => nameof(NoKind);
    }
}
