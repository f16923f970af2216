namespace Egov.Steering.Membership.Domain;

/// <summary>
/// The part of the register a decision or a read works on: committees, posts and people by id, and which decisions
/// were already applied. The store loads what a decision refers to; the engine mutates it in place (or a clone of it).
/// </summary>
public sealed class Register
{
    private readonly Dictionary<string, Committee> committees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Post> posts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Person> people = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppliedDecision> appliedDecisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CeasedJurisdiction> ceasedJurisdictions = new(StringComparer.Ordinal);

    public Register(
        IEnumerable<Committee>? committees = null,
        IEnumerable<Post>? posts = null,
        IEnumerable<Person>? people = null,
        IEnumerable<AppliedDecision>? appliedDecisions = null)
    {
        foreach (var committee in committees ?? [])
        {
            this.committees[committee.Id] = committee;
        }

        foreach (var post in posts ?? [])
        {
            this.posts[post.Id] = post;
        }

        foreach (var person in people ?? [])
        {
            this.people[person.Id] = person;
        }

        foreach (var decision in appliedDecisions ?? [])
        {
            this.appliedDecisions[decision.DecisionId] = decision;
        }
    }

    public IEnumerable<Committee> Committees => committees.Values;

    public IEnumerable<Post> Posts => posts.Values;

    public IEnumerable<Person> People => people.Values;

    public IEnumerable<AppliedDecision> AppliedDecisions => appliedDecisions.Values;

    public Committee? FindCommittee(string? id) => id is not null && committees.TryGetValue(id, out var c) ? c : null;

    public Post? FindPost(string? id) => id is not null && posts.TryGetValue(id, out var p) ? p : null;

    public Person? FindPerson(string? id) => id is not null && people.TryGetValue(id, out var p) ? p : null;

    public bool IsApplied(string decisionId) => appliedDecisions.ContainsKey(decisionId);

    public AppliedDecision? FindApplied(string decisionId) => appliedDecisions.GetValueOrDefault(decisionId);

    public void Add(Committee committee) => committees.Add(committee.Id, committee);

    /// <summary>Records that a province or ministry ceased (reference data).</summary>
    public void JurisdictionCeased(CeasedJurisdiction ceased)
    {
        ArgumentNullException.ThrowIfNull(ceased);
        ceasedJurisdictions[ceased.Code] = ceased;
    }

    /// <summary>The jurisdiction's end and successor, if it ceased and the register was told (<see cref="JurisdictionCeased"/>).</summary>
    public CeasedJurisdiction? Ceased(string code) => ceasedJurisdictions.GetValueOrDefault(code);

    /// <summary>When the jurisdiction ceased, if it did and the register was told.</summary>
    public CivilDate? JurisdictionEnd(string code) => Ceased(code)?.End;

    public void Add(Post post) => posts.Add(post.Id, post);

    public void Add(Person person) => people.Add(person.Id, person);

    internal void MarkApplied(AppliedDecision decision) => appliedDecisions.Add(decision.DecisionId, decision);

    /// <summary>The person sitting in a seat on the date (see <see cref="SeatHolderOn"/>), or null.</summary>
    public Person? SeatedPerson(Holder holder, DateOnly date) => SeatHolderOn(holder, date).Person;

    /// <summary>
    /// Who sits in a seat on the date. A seat with a post follows the post's recorded holders (ex officio): the holder
    /// of the term in force then (none for a vacancy). Where no term covers the date, a person the decision named
    /// sits, unless a recorded term of theirs in that post has ended by then; otherwise the holder is not known.
    /// </summary>
    public SeatHolder SeatHolderOn(Holder holder, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(holder);
        if (holder.PostId is null)
        {
            return new SeatHolder(FindPerson(holder.PersonId), Known: true);
        }

        var post = FindPost(holder.PostId);
        if (post?.Holders.InForce(date) is { } term)
        {
            return new SeatHolder(FindPerson(term.PersonId), term.Known);
        }

        return holder.PersonId is { } named && post?.TenureEndedBy(named, date) != true
            ? new SeatHolder(FindPerson(named), Known: true)
            : new SeatHolder(null, Known: false);
    }

    /// <summary>Committees merged into this one (its predecessors).</summary>
    public IEnumerable<Committee> PredecessorsOf(string committeeId) =>
        committees.Values.Where(c => c.SuccessorId == committeeId);

    /// <summary>
    /// A deep copy of committees and posts (people are not changed by decisions), with what it knows of ceased
    /// jurisdictions: a dry run works on it and the original stays untouched.
    /// </summary>
    public Register Clone()
    {
        var copy = new Register(committees.Values.Select(c => c.Clone()), posts.Values.Select(p => p.Clone()), people.Values, appliedDecisions.Values);
        foreach (var ceased in ceasedJurisdictions.Values)
        {
            copy.JurisdictionCeased(ceased);
        }

        return copy;
    }
}

/// <summary>Who sits in a seat on a date; <paramref name="Known"/> is false when the register does not know (Person null).</summary>
public sealed record SeatHolder(Person? Person, bool Known);

/// <summary>A decision the register has applied: applying it again changes nothing.</summary>
public sealed class AppliedDecision
{
    private AppliedDecision()
    {
    }

    public AppliedDecision(string decisionId, string? number, CivilDate effectiveDate, IEnumerable<string> committeeIds)
    {
        DecisionId = decisionId;
        Number = number;
        EffectiveDate = effectiveDate;
        CommitteeIds = [.. committeeIds];
    }

    public string DecisionId { get; private set; } = null!;

    public string? Number { get; private set; }

    public CivilDate EffectiveDate { get; private set; }

    /// <summary>The committees it touched.</summary>
    public List<string> CommitteeIds { get; private set; } = [];

    public DateTime AppliedAt { get; internal set; }
}
