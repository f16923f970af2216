namespace Egov.Steering.Decisions.Domain;

/// <summary>Everything a draft's author writes; validated and normalised (NFC) before it reaches a decision.</summary>
public sealed record DecisionDraft
{
    public string Number { get; init; } = string.Empty;

    public required string IssuerOrganisation { get; init; }

    public required string IssuerDisplayName { get; init; }

    public Signatory? Signer { get; init; }

    public CivilDay? SignedDate { get; init; }

    public CivilDay? EffectiveDate { get; init; }

    public IReadOnlyList<DecisionKind> Kinds { get; init; } = [];

    public IReadOnlyList<string> SubjectCommittees { get; init; } = [];

    public required string Title { get; init; }

    public string Summary { get; init; } = string.Empty;

    public IReadOnlyList<Citation> LegalBasis { get; init; } = [];

    public DocumentMetadata? Document { get; init; }

    public SecondarySource? Source { get; init; }

    public IReadOnlyList<SecondarySource> AdditionalSources { get; init; } = [];

    public IReadOnlyList<DecisionChange> Changes { get; init; } = [];

    public IReadOnlyList<string> Supersedes { get; init; } = [];
}

/// <summary>Who signed, as printed; <see cref="Person"/> is "people/{person}" when known, else empty.</summary>
public sealed record Signatory(string DisplayName, string Title, string Person);

/// <summary>A legal basis (căn cứ): the citation as written and, when registered here, the cited decision.</summary>
public sealed record Citation(string Text, string Decision);

/// <summary>The document's metadata; the file itself is not stored here.</summary>
public sealed record DocumentMetadata(string Uri, string MediaType, string Sha256);

/// <summary>The secondary source (a news report...) a decision was recorded from.</summary>
public sealed record SecondarySource(string Uri, string Title, string Publisher, CivilDay? PublishedDate);
