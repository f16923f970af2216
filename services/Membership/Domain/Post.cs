namespace Egov.Steering.Membership.Domain;

/// <summary>
/// An office (chức vụ) that qualifies a member ex officio, e.g. "Chủ tịch UBND tỉnh Gia Lai", with its holders over
/// time (recorded by decisions); may be vacant.
/// </summary>
public sealed class Post
{
    private Post()
    {
    }

    public Post(string id, string displayName, PostKind kind, string? sector, string organisationDisplayName, string organisation)
    {
        Id = id;
        DisplayName = displayName;
        Kind = kind;
        Sector = sector;
        OrganisationDisplayName = organisationDisplayName;
        Organisation = organisation;
    }

    public string Id { get; private set; } = null!;

    public string DisplayName { get; set; } = null!;

    public PostKind Kind { get; set; }

    /// <summary>For department-level offices, e.g. "xay-dung".</summary>
    public string? Sector { get; set; }

    public string OrganisationDisplayName { get; set; } = null!;

    /// <summary>Organisation code of the ministry or province the office belongs to, or "national".</summary>
    public string Organisation { get; set; } = null!;

    /// <summary>Concurrency token; counts the holder events (PostHolderChanged), which it orders.</summary>
    public long Version { get; private set; }

    /// <summary>The etag's change counter: bumped by every saved change to the post or its holders (by the store).</summary>
    public long Revision { get; private set; }

    public int HolderSequence { get; private set; }

    public DateTime CreatedAt { get; internal set; }

    public DateTime UpdatedAt { get; internal set; }

    public List<PostHolder> Holders { get; private set; } = [];

    public string ResourceName => "posts/" + Id;

    /// <summary>Who holds it on the date; null when vacant or unknown.</summary>
    public string? HolderOn(DateOnly date) => Holders.InForce(date)?.PersonId;

    /// <summary>Whether a recorded term of the person in this post ended on or before the date.</summary>
    public bool TenureEndedBy(string personId, DateOnly date) =>
        Holders.Any(h => h.PersonId == personId && h.End is { } end && end.FirstDay <= date);

    public long Touch() => ++Version;

    /// <summary>
    /// Records the holder from the date on (null: vacant, or not known when <paramref name="holderNotRecorded"/>); the
    /// term in force then ends that day.
    /// </summary>
    internal PostHolder Assign(string? personId, CivilDate date, string? decisionId, bool holderNotRecorded = false)
    {
        var current = Holders.LastOrDefault(h => h.OpenOn(date.FirstDay));
        if (current is not null)
        {
            current.End = date;
        }

        var holder = new PostHolder(++HolderSequence, personId, date, decisionId, holderNotRecorded && personId is null);
        Holders.Add(holder);
        Touch();
        return holder;
    }

    internal Post Clone()
    {
        var copy = (Post)MemberwiseClone();
        copy.Holders = [.. Holders.Select(h => h.Clone())];
        return copy;
    }
}

/// <summary>One term in a post (or a recorded vacancy when <see cref="PersonId"/> is null).</summary>
public sealed class PostHolder : ITimeBound
{
    private PostHolder()
    {
    }

    internal PostHolder(int number, string? personId, CivilDate start, string? decisionId, bool holderNotRecorded)
    {
        HolderNotRecorded = holderNotRecorded;
        Number = number;
        PersonId = personId;
        Start = start;
        DecisionId = decisionId;
    }

    /// <summary>The last segment of "posts/{post}/holders/{number}".</summary>
    public int Number { get; private set; }

    public string? PersonId { get; private set; }

    public CivilDate Start { get; private set; }

    public CivilDate? End { get; internal set; }

    public string? DecisionId { get; private set; }

    /// <summary>The source records the previous holder's departure, not who followed: not known, which is not vacant.</summary>
    public bool HolderNotRecorded { get; private set; }

    /// <summary>Whether the register knows who (or that no one) held the post over this term.</summary>
    public bool Known => !HolderNotRecorded;

    internal PostHolder Clone() => (PostHolder)MemberwiseClone();
}
