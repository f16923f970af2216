namespace Egov.Steering.Membership.Domain;

/// <summary>
/// A steering committee (Ban chỉ đạo / Ủy ban) with its history: names, mandates and focal agencies over time,
/// memberships, working groups, the decisions applied to it and its end (merged into a successor or dissolved).
/// The aggregate: every change to anything inside goes through it and bumps <see cref="Version"/>.
/// </summary>
public sealed class Committee
{
    /// <summary>Start of the first name/mandate of a committee registered without a founding date.</summary>
    public static readonly CivilDate UnknownStart = CivilDate.OfYear(1900);

    private Committee()
    {
    }

    public Committee(
        string id,
        CommitteeLevel level,
        string jurisdiction,
        string? parentId,
        string displayName,
        CivilDate? foundingDate,
        string? foundingDecisionId,
        IReadOnlyCollection<MandateTopic> mandate,
        FocalAgency? focalAgency)
        : this(id, level, jurisdiction, parentId, displayName, foundingDate ?? UnknownStart, foundingDecisionId, mandate, focalAgency)
    {
        FoundingDate = foundingDate;
        FoundingDecisionId = foundingDecisionId;
    }

    private Committee(
        string id,
        CommitteeLevel level,
        string jurisdiction,
        string? parentId,
        string displayName,
        CivilDate start,
        string? decisionId,
        IReadOnlyCollection<MandateTopic> mandate,
        FocalAgency? focalAgency)
    {
        Id = id;
        Level = level;
        Jurisdiction = jurisdiction;
        ParentId = parentId;
        Names.Add(new CommitteeName(displayName, start, decisionId));
        if (mandate.Count > 0)
        {
            Mandates.Add(new CommitteeMandate(mandate, start, decisionId));
        }

        if (focalAgency is not null)
        {
            FocalAgencies.Add(new CommitteeFocalAgency(focalAgency, start, decisionId));
        }
    }

    /// <summary>The last segment of "committees/{id}"; never reused.</summary>
    public string Id { get; private set; } = null!;

    public CommitteeLevel Level { get; private set; }

    /// <summary>Organisation code: "national", "province-2025-52", "ministry-btttt".</summary>
    public string Jurisdiction { get; private set; } = null!;

    public string? ParentId { get; private set; }

    public CivilDate? FoundingDate { get; private set; }

    public string? FoundingDecisionId { get; private set; }

    /// <summary>
    /// For a committee that existed before its first recorded decision (a consolidation whose founding the sources do
    /// not give): that decision's date, where the record starts. <see cref="FoundingDate"/> is then null (unknown).
    /// </summary>
    public CivilDate? RecordStart { get; private set; }

    /// <summary>First day the committee no longer exists; null while it exists.</summary>
    public CivilDate? EndDate { get; private set; }

    /// <summary>Merged or Dissolved once it has an end.</summary>
    public CommitteeState? EndState { get; private set; }

    public string? SuccessorId { get; private set; }

    public string? EndingDecisionId { get; private set; }

    /// <summary>
    /// First day the committee's province or ministry no longer exists (reference data; not stored with the committee,
    /// set when the register is loaded); null while it exists. A committee cannot outlive its jurisdiction.
    /// </summary>
    public CivilDate? JurisdictionEnd { get; private set; }

    /// <summary>First day the committee no longer exists: its recorded end, else its jurisdiction's; null while open.</summary>
    public CivilDate? LifeEnd => (EndDate, JurisdictionEnd) switch
    {
        ({ } end, { } ceased) => end <= ceased ? end : ceased,
        (var end, var ceased) => end ?? ceased,
    };

    // Clerical fields: changed by UpdateCommittee, not by decisions.
    public string? Description { get; set; }

    public List<string> OtherSpellings { get; private set; } = [];

    public CommitteeContact Contact { get; set; } = new();

    /// <summary>The event counter: the aggregate version of the committee's latest event; also the concurrency token.</summary>
    public long Version { get; private set; }

    /// <summary>The last membership number handed out (membership ids are never reused).</summary>
    public int MembershipSequence { get; private set; }

    public DateTime CreatedAt { get; internal set; }

    public DateTime UpdatedAt { get; internal set; }

    public List<CommitteeName> Names { get; private set; } = [];

    public List<CommitteeMandate> Mandates { get; private set; } = [];

    public List<CommitteeFocalAgency> FocalAgencies { get; private set; } = [];

    public List<CommitteeMembership> Memberships { get; private set; } = [];

    public List<WorkingGroup> WorkingGroups { get; private set; } = [];

    /// <summary>The decisions applied to this committee (for the last consolidation and for revocations).</summary>
    public List<CommitteeDecision> Decisions { get; private set; } = [];

    public string ResourceName => "committees/" + Id;

    /// <summary>
    /// A committee first recorded by a decision that consolidates it (kiện toàn): it existed before, since a date the
    /// sources do not give, so its founding stays unknown and its record (name, mandate, focal agency) starts there.
    /// </summary>
    public static Committee RecordedFrom(
        string id,
        CommitteeLevel level,
        string jurisdiction,
        string? parentId,
        string displayName,
        CivilDate recordStart,
        string? decisionId,
        IReadOnlyCollection<MandateTopic> mandate,
        FocalAgency? focalAgency) =>
        new(id, level, jurisdiction, parentId, displayName, recordStart, decisionId, mandate, focalAgency) { RecordStart = recordStart };

    /// <summary>
    /// The state on the date. Before the record of a committee that existed before it (up to the last day of an
    /// imprecise record start), NotRecorded: it existed at some time then, but what it was is not recorded.
    /// </summary>
    public CommitteeState StateOn(DateOnly date) =>
        EndDate is { } end && end.FirstDay <= date && (JurisdictionEnd is not { } ceased || end <= ceased) ? EndState!.Value
        : JurisdictionEnd is { } jurisdictionEnd && jurisdictionEnd.FirstDay <= date ? CommitteeState.JurisdictionEnded
        : FoundingDate is { } founded && date < founded.FirstDay ? CommitteeState.Planned
        : RecordStart is { } recorded && date < recorded.LastDay ? CommitteeState.NotRecorded
        : CommitteeState.Active;

    /// <summary>
    /// Up to when a source confirms the record: the latest effective date of the decisions that changed it, else its
    /// founding date; null when it has neither. The decision that ended it is left out: it confirms the end (shown
    /// from then on), not the state before it (a 2025 merger says nothing of the members in 2023); so is a decision
    /// that only names it as a subject (an office holder's departure says nothing of the committee).
    /// </summary>
    public CivilDate? ConfirmedThrough() =>
        UncertainDates.Latest(Decisions.Where(d => d.ChangesCommittee && d.DecisionId != EndingDecisionId).Select(d => d.EffectiveDate)) ?? FoundingDate;

    /// <summary>Whether a read on the date extends the last recorded state past what any source confirms.</summary>
    public bool BeyondConfirmedRecordOn(DateOnly date) =>
        StateOn(date) == CommitteeState.Active && ConfirmedThrough() is { } confirmed && date > confirmed.LastDay;

    /// <summary>Exists on the date or later (not yet ended).</summary>
    public bool OpenOn(DateOnly date) => LifeEnd is not { } end || date < end.FirstDay;

    /// <summary>The name in force on the date; before founding, the first name.</summary>
    public string DisplayNameOn(DateOnly date) => (Names.InForce(date) ?? Names[0]).DisplayName;

    public IReadOnlyList<MandateTopic> MandateOn(DateOnly date) => Mandates.InForce(date)?.Topics ?? [];

    public FocalAgency? FocalAgencyOn(DateOnly date) => FocalAgencies.InForce(date)?.Agency;

    /// <summary>Memberships in force on the date, certainly or uncertainly (see <see cref="CommitteeMembership.PresenceOn"/>).</summary>
    public IEnumerable<CommitteeMembership> MembershipsOn(DateOnly date) => Memberships.Where(m => m.PresenceOn(date) is not null);

    public CommitteeMembership? FindMembership(string id) => Memberships.Find(m => m.Id == id);

    public WorkingGroup? FindWorkingGroup(string id) => WorkingGroups.Find(g => g.Id == id);

    /// <summary>The latest CONSOLIDATE decision effective on or before the date and not revoked by then.</summary>
    public CommitteeDecision? LastConsolidationOn(DateOnly date) => Decisions
        .Where(d => d.Kinds.Contains(DecisionKind.Consolidate) && d.EffectiveDate.FirstDay <= date
            && (d.RevokedFrom is not { } revoked || date < revoked.FirstDay))
        .OrderBy(d => d.EffectiveDate)
        .LastOrDefault();

    internal long NextVersion() => ++Version;

    internal string NextMembershipId() => (++MembershipSequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal void End(CivilDate date, CommitteeState state, string? successorId, string? decisionId)
    {
        EndDate = date;
        EndState = state;
        SuccessorId = successorId;
        EndingDecisionId = decisionId;
    }

    /// <summary>Reopens a committee whose end a revoked decision set; only while that end is still in the future.</summary>
    /// <summary>Bounds the committee's life by its jurisdiction's end (from the reference data).</summary>
    public void BoundByJurisdiction(CivilDate? jurisdictionEnd) => JurisdictionEnd = jurisdictionEnd;

    internal void ClearEnd()
    {
        EndDate = null;
        EndState = null;
        SuccessorId = null;
        EndingDecisionId = null;
    }

    internal Committee Clone()
    {
        var copy = (Committee)MemberwiseClone();
        copy.OtherSpellings = [.. OtherSpellings];
        copy.Contact = Contact with { };
        copy.Names = [.. Names.Select(n => n.Clone())];
        copy.Mandates = [.. Mandates.Select(m => m.Clone())];
        copy.FocalAgencies = [.. FocalAgencies.Select(f => f.Clone())];
        copy.Memberships = [.. Memberships.Select(m => m.Clone())];
        copy.WorkingGroups = [.. WorkingGroups.Select(g => g.Clone())];
        copy.Decisions = [.. Decisions.Select(d => d.Clone())];
        return copy;
    }
}

/// <summary>A committee's organisational contact (never a person's private data).</summary>
public sealed record CommitteeContact
{
    public string? Address { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public string? Website { get; init; }
}

/// <summary>The agency running a committee's day-to-day work; <paramref name="Organisation"/> is its code when it has one.</summary>
public sealed record FocalAgency(string DisplayName, string? Organisation);

/// <summary>Base of the values a committee holds over time (name, mandate, focal agency).</summary>
public abstract class CommitteePeriod : ITimeBound
{
    protected CommitteePeriod()
    {
    }

    protected CommitteePeriod(CivilDate start, string? decisionId)
    {
        Start = start;
        DecisionId = decisionId;
    }

    public CivilDate Start { get; private set; }

    public CivilDate? End { get; internal set; }

    /// <summary>The decision that set it, when recorded.</summary>
    public string? DecisionId { get; private set; }
}

public sealed class CommitteeName : CommitteePeriod
{
    private CommitteeName()
    {
    }

    public CommitteeName(string displayName, CivilDate start, string? decisionId)
        : base(start, decisionId) => DisplayName = displayName;

    public string DisplayName { get; private set; } = null!;

    internal CommitteeName Clone() => (CommitteeName)MemberwiseClone();
}

public sealed class CommitteeMandate : CommitteePeriod
{
    private CommitteeMandate()
    {
    }

    public CommitteeMandate(IEnumerable<MandateTopic> topics, CivilDate start, string? decisionId)
        : base(start, decisionId) => Topics = [.. topics.Distinct().Order()];

    public List<MandateTopic> Topics { get; private set; } = [];

    internal CommitteeMandate Clone()
    {
        var copy = (CommitteeMandate)MemberwiseClone();
        copy.Topics = [.. Topics];
        return copy;
    }
}

public sealed class CommitteeFocalAgency : CommitteePeriod
{
    private CommitteeFocalAgency()
    {
    }

    public CommitteeFocalAgency(FocalAgency agency, CivilDate start, string? decisionId)
        : base(start, decisionId) => Agency = agency;

    public FocalAgency Agency { get; private set; } = null!;

    internal CommitteeFocalAgency Clone() => (CommitteeFocalAgency)MemberwiseClone();
}

/// <summary>A decision applied to a committee, as far as the register needs it (number, kinds, effective date).</summary>
public sealed class CommitteeDecision
{
    private CommitteeDecision()
    {
    }

    public CommitteeDecision(
        string decisionId, string? number, IEnumerable<DecisionKind> kinds, CivilDate effectiveDate, IEnumerable<string>? legalBasis = null, bool changesCommittee = true)
    {
        DecisionId = decisionId;
        ChangesCommittee = changesCommittee;
        Number = number;
        Kinds = [.. kinds.Distinct().Order()];
        EffectiveDate = effectiveDate;
        LegalBasis = [.. legalBasis ?? []];
    }

    public string DecisionId { get; private set; } = null!;

    /// <summary>As written, e.g. "1619/QĐ-TTg".</summary>
    public string? Number { get; private set; }

    public List<DecisionKind> Kinds { get; private set; } = [];

    public CivilDate EffectiveDate { get; private set; }

    /// <summary>
    /// Whether a change of the decision acts on the committee; false when it only names the committee as a subject
    /// (e.g. a change of an office's holder), which says nothing of the committee's state.
    /// </summary>
    public bool ChangesCommittee { get; private set; }

    /// <summary>The decisions it is based on (căn cứ), as cited, e.g. "Quyết định 701/QĐ-TTg ngày 26/5/2020".</summary>
    public List<string> LegalBasis { get; private set; } = [];

    /// <summary>From when a revoking decision ended its effects; null unless revoked.</summary>
    public CivilDate? RevokedFrom { get; internal set; }

    internal CommitteeDecision Clone()
    {
        var copy = (CommitteeDecision)MemberwiseClone();
        copy.Kinds = [.. Kinds];
        copy.LegalBasis = [.. LegalBasis];
        return copy;
    }
}
