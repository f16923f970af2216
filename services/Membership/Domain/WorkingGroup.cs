namespace Egov.Steering.Membership.Domain;

/// <summary>A working group of a committee (Tổ công tác / Tổ giúp việc), with its seats over time.</summary>
public sealed class WorkingGroup : ITimeBound
{
    private WorkingGroup()
    {
    }

    internal WorkingGroup(string committeeId, string id, string displayName, string? purpose, CivilDate start, string? establishingDecisionId)
    {
        CommitteeId = committeeId;
        Id = id;
        DisplayName = displayName;
        Purpose = purpose;
        Start = start;
        EstablishingDecisionId = establishingDecisionId;
    }

    public string CommitteeId { get; private set; } = null!;

    public string Id { get; private set; } = null!;

    public string DisplayName { get; private set; } = null!;

    public string? Purpose { get; private set; }

    public CivilDate Start { get; private set; }

    public CivilDate? End { get; private set; }

    public string? EstablishingDecisionId { get; private set; }

    public string? DissolvingDecisionId { get; private set; }

    /// <summary>The etag's change counter: bumped by every saved change to the group or its seats (by the store).</summary>
    public long Revision { get; private set; }

    public DateTime CreatedAt { get; internal set; }

    public DateTime UpdatedAt { get; internal set; }

    public List<WorkingGroupSeat> Seats { get; private set; } = [];

    public string ResourceName => $"committees/{CommitteeId}/workingGroups/{Id}";

    public IEnumerable<WorkingGroupSeat> SeatsOn(DateOnly date) => Seats.Where(s => s.InForceOn(date));

    internal void Dissolve(CivilDate date, string? decisionId)
    {
        End = date;
        DissolvingDecisionId = decisionId;
        foreach (var seat in Seats.Where(s => s.OpenOn(date.FirstDay)))
        {
            seat.End = seat.Start > date ? seat.Start : date;
        }
    }

    internal WorkingGroup Clone()
    {
        var copy = (WorkingGroup)MemberwiseClone();
        copy.Seats = [.. Seats.Select(s => s.Clone())];
        return copy;
    }
}

/// <summary>One member of a working group over a period.</summary>
public sealed class WorkingGroupSeat : ITimeBound
{
    private WorkingGroupSeat()
    {
    }

    internal WorkingGroupSeat(Holder holder, WorkingGroupRole role, CivilDate start, string? decisionId)
    {
        PersonId = holder.PersonId;
        PostId = holder.PostId;
        Role = role;
        Start = start;
        DecisionId = decisionId;
    }

    public string? PersonId { get; private set; }

    public string? PostId { get; private set; }

    public WorkingGroupRole Role { get; private set; }

    public CivilDate Start { get; private set; }

    public CivilDate? End { get; internal set; }

    /// <summary>The decision that gave the seat.</summary>
    public string? DecisionId { get; private set; }

    public Holder Holder => new(PersonId, PostId);

    /// <summary>The day whose sitter a read on <paramref name="date"/> shows: an ended seat's last day, not a later date.</summary>
    public DateOnly SittingDay(DateOnly date) => End is { } end && end.FirstDay <= date ? end.FirstDay.AddDays(-1) : date;

    internal WorkingGroupSeat Clone() => (WorkingGroupSeat)MemberwiseClone();
}
