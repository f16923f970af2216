namespace Egov.Steering.Membership.Domain;

/// <summary>Who sits: a person, a post held ex officio (whoever holds it on a date), or a named person in that post.</summary>
public sealed record Holder(string? PersonId, string? PostId)
{
    /// <summary>Whether both name the same person or the same post (who may then not sit twice at once).</summary>
    public bool SharesSeatWith(Holder other) =>
        (PersonId is not null && PersonId == other.PersonId) || (PostId is not null && PostId == other.PostId);

    public override string ToString() => (PersonId, PostId) switch
    {
        ({ } person, { } post) => $"people/{person} (posts/{post})",
        ({ } person, null) => "people/" + person,
        _ => "posts/" + PostId,
    };
}

/// <summary>Roles held together ("thành viên thường trực kiêm thư ký"); <paramref name="OtherRole"/> words OTHER.</summary>
public sealed record RoleSet(IReadOnlyList<MembershipRole> Roles, string? OtherRole = null)
{
    public bool Contains(MembershipRole role) => Roles.Contains(role);

    /// <summary>A secretary alone is not a member of the committee.</summary>
    public bool IsMember => Roles.Any(role => role != MembershipRole.Secretary);

    public bool SameAs(RoleSet other) =>
        Roles.Order().SequenceEqual(other.Roles.Order()) && (OtherRole ?? "") == (other.OtherRole ?? "");

    public static RoleSet Of(params MembershipRole[] roles) => new(roles);
}

/// <summary>
/// A seat on a committee over a period (start = first day in office, end = first day no longer in office), with its
/// roles over time. History is never rewritten: ending sets <see cref="ITimeBound.End"/>, a role change ends one
/// role period and starts the next.
/// </summary>
public sealed class CommitteeMembership : ITimeBound
{
    private CommitteeMembership()
    {
    }

    internal CommitteeMembership(
        string committeeId, string id, Holder holder, RoleSet roles, CivilDate start, string? appointingDecisionId, DateOnly? startNotBefore = null)
    {
        CommitteeId = committeeId;
        Id = id;
        PersonId = holder.PersonId;
        PostId = holder.PostId;
        Start = start;
        StartNotBefore = UncertainDates.NotBefore(start, startNotBefore);
        AppointingDecisionId = appointingDecisionId;
        RolePeriods.Add(new RolePeriod(roles, start, appointingDecisionId));
    }

    public string CommitteeId { get; private set; } = null!;

    /// <summary>The last segment of "committees/{committee}/memberships/{id}", assigned in order, never reused.</summary>
    public string Id { get; private set; } = null!;

    public string? PersonId { get; private set; }

    public string? PostId { get; private set; }

    public CivilDate Start { get; private set; }

    public CivilDate? End { get; private set; }

    /// <summary>For an imprecise start: the earliest day it can have started (its decision's legal basis), when later than the period's first day.</summary>
    public DateOnly? StartNotBefore { get; private set; }

    /// <summary>The same bound for an imprecise end.</summary>
    public DateOnly? EndNotBefore { get; private set; }

    public string? AppointingDecisionId { get; private set; }

    public string? EndingDecisionId { get; private set; }

    public string? EndReason { get; private set; }

    /// <summary>Counts the changes to this membership; its etag.</summary>
    public int Revision { get; private set; }

    public DateTime CreatedAt { get; internal set; }

    public DateTime UpdatedAt { get; internal set; }

    public List<RolePeriod> RolePeriods { get; private set; } = [];

    public Holder Holder => new(PersonId, PostId);

    public string ResourceName => $"committees/{CommitteeId}/memberships/{Id}";

    /// <summary>The roles on the date; outside the membership's period, the nearest (first or last) roles.</summary>
    public RoleSet RolesOn(DateOnly date) =>
        (RolePeriods.InForce(date) ?? (date < Start.FirstDay ? RolePeriods[0] : RolePeriods[^1])).RoleSet;

    /// <summary>The roles of the latest role period.</summary>
    public RoleSet CurrentRoles => RolePeriods[^1].RoleSet;

    /// <summary>Upcoming until it can have started, ended once it surely has; Active in between (maybe uncertain: <see cref="PresenceOn"/>).</summary>
    public MembershipState StateOn(DateOnly date) =>
        date < UncertainDates.Earliest(Start, StartNotBefore) ? MembershipState.Upcoming
        : End is { } end && end.LastDay <= date ? MembershipState.Ended
        : MembershipState.Active;

    /// <summary>Whether the seat is in force on the date: certainly, uncertainly (inside an imprecise start or end), or (null) not.</summary>
    public Certainty? PresenceOn(DateOnly date) => UncertainDates.PresenceOn(Start, StartNotBefore, End, EndNotBefore, date);

    /// <summary>Whether the end (when there is one) can have happened by the date: as-of reads show it from then on.</summary>
    public bool EndKnownOn(DateOnly date) => End is { } end && date >= UncertainDates.Earliest(end, EndNotBefore);

    internal void EndOn(CivilDate date, string? decisionId, string? reason, DateOnly? notBefore = null)
    {
        End = date;
        EndNotBefore = UncertainDates.NotBefore(date, notBefore);
        EndingDecisionId = decisionId;
        EndReason = reason;
        var last = RolePeriods[^1];
        if (last.End is null || last.End.Value > date)
        {
            last.End = date;
        }

        Revision++;
    }

    /// <summary>Reopens a membership whose end (still in the future) a revoked decision had set.</summary>
    internal void Reopen()
    {
        var endedOn = End;
        End = null;
        EndNotBefore = null;
        EndingDecisionId = null;
        EndReason = null;
        if (RolePeriods[^1].End == endedOn)
        {
            RolePeriods[^1].End = null;
        }

        Revision++;
    }

    /// <summary>New roles from the date: the latest period ends there (or is replaced when it starts that day).</summary>
    internal void ChangeRoles(RoleSet roles, CivilDate date, string? decisionId)
    {
        var last = RolePeriods[^1];
        if (last.Start.FirstDay == date.FirstDay)
        {
            RolePeriods.RemoveAt(RolePeriods.Count - 1);
        }
        else
        {
            last.End = date;
        }

        RolePeriods.Add(new RolePeriod(roles, date, decisionId) { End = End });
        Revision++;
    }

    /// <summary>
    /// A clerical correction of what was recorded wrongly (who, dates, end reason, the latest roles): the record is
    /// made right, not changed in office, so the role periods keep their decisions and only their bounds follow the
    /// corrected dates. The caller checks the committee's invariants afterwards and keeps the correction's record.
    /// </summary>
    internal void Correct(Holder holder, CivilDate start, CivilDate? end, string? endReason, RoleSet roles)
    {
        PersonId = holder.PersonId;
        PostId = holder.PostId;
        Start = start;
        End = end;
        StartNotBefore = UncertainDates.NotBefore(start, StartNotBefore);
        EndNotBefore = end is { } corrected ? UncertainDates.NotBefore(corrected, EndNotBefore) : null;
        EndReason = end is null ? null : endReason;
        if (end is null)
        {
            EndingDecisionId = null;
        }

        RolePeriods[0].Start = start;
        RolePeriods[^1].End = end;
        RolePeriods[^1].Correct(roles);
        Revision++;
    }

    /// <summary>Whether the role periods still lie inside the membership's period, in order (after a correction).</summary>
    internal bool RolePeriodsOrdered() =>
        RolePeriods.Zip(RolePeriods.Skip(1)).All(pair => pair.First.Start < pair.Second.Start)
        && (End is not { } end || RolePeriods[^1].Start < end);

    internal CommitteeMembership Clone()
    {
        var copy = (CommitteeMembership)MemberwiseClone();
        copy.RolePeriods = [.. RolePeriods.Select(p => p.Clone())];
        return copy;
    }
}

/// <summary>The roles a membership held over a period.</summary>
public sealed class RolePeriod : ITimeBound
{
    private RolePeriod()
    {
    }

    internal RolePeriod(RoleSet roles, CivilDate start, string? decisionId)
    {
        Roles = [.. roles.Roles.Distinct().Order()];
        OtherRole = roles.OtherRole;
        Start = start;
        DecisionId = decisionId;
    }

    public List<MembershipRole> Roles { get; private set; } = [];

    public string? OtherRole { get; private set; }

    public CivilDate Start { get; internal set; }

    public CivilDate? End { get; internal set; }

    /// <summary>The decision that gave these roles.</summary>
    public string? DecisionId { get; private set; }

    public RoleSet RoleSet => new(Roles, OtherRole);

    internal void Correct(RoleSet roles)
    {
        Roles = [.. roles.Roles.Distinct().Order()];
        OtherRole = roles.OtherRole;
    }

    internal RolePeriod Clone()
    {
        var copy = (RolePeriod)MemberwiseClone();
        copy.Roles = [.. Roles];
        return copy;
    }
}
