namespace Egov.Steering.Membership.Domain;

/// <summary>A natural person. Contact details are personal data: never in logs or events.</summary>
public sealed class Person
{
    private Person()
    {
    }

    public Person(string id, string displayName)
    {
        Id = id;
        DisplayName = displayName;
    }

    public string Id { get; private set; } = null!;

    /// <summary>Full name in NFC, e.g. "Nguyễn Xuân Phúc".</summary>
    public string DisplayName { get; set; } = null!;

    public List<string> OtherNames { get; set; } = [];

    public string? Email { get; set; }

    public string? Phone { get; set; }

    /// <summary>Concurrency token and etag; bumped on every change.</summary>
    public long Version { get; private set; }

    public DateTime CreatedAt { get; internal set; }

    public DateTime UpdatedAt { get; internal set; }

    public string ResourceName => "people/" + Id;

    public long Touch() => ++Version;
}
