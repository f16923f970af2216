using Egov.Steering.Text;

namespace Egov.Steering.Decisions.Domain;

/// <summary>
/// A decision (Quyết định) and its life cycle: DRAFT (editable) → ISSUED (frozen, sent to Membership) → APPLIED or
/// REJECTED (Membership's answer, with every reason) → later REVOKED or SUPERSEDED. The changes are kept exactly as
/// drafted (<see cref="DecisionChange"/>): Membership alone interprets them.
/// </summary>
public sealed class Decision
{
    public const string Collection = "decisions";

    private Decision()
    {
    }

    /// <summary>The last segment of the resource name "decisions/{id}".</summary>
    public string Id { get; private set; } = string.Empty;

    public string Name => NameOf(Id);

    /// <summary>Organisation code that alone (with admins) may edit, issue or revoke it.</summary>
    public string OwnerOrganisation { get; private set; } = string.Empty;

    public DecisionState State { get; private set; }

    /// <summary>As written on the document; empty when the source does not give it.</summary>
    public string Number { get; private set; } = string.Empty;

    /// <summary><see cref="Number"/> folded (lower case, no diacritics): search, and uniqueness per issuer.</summary>
    public string NumberFolded { get; private set; } = string.Empty;

    public string IssuerOrganisation { get; private set; } = string.Empty;

    public string IssuerDisplayName { get; private set; } = string.Empty;

    public Signatory? Signer { get; private set; }

    public CivilDay? SignedDate { get; private set; }

    public CivilDay? EffectiveDate { get; private set; }

    /// <summary>First day of <see cref="EffectiveDate"/>, or <see cref="DateOnly.MinValue"/> when unknown: the list order.</summary>
    public DateOnly EffectiveOn { get; private set; }

    public List<DecisionKind> Kinds { get; private set; } = [];

    public List<string> SubjectCommittees { get; private set; } = [];

    public string Title { get; private set; } = string.Empty;

    public string TitleFolded { get; private set; } = string.Empty;

    public string Summary { get; private set; } = string.Empty;

    public string SummaryFolded { get; private set; } = string.Empty;

    public IReadOnlyList<Citation> LegalBasis { get; private set; } = [];

    public DocumentMetadata? Document { get; private set; }

    public SecondarySource? Source { get; private set; }

    public IReadOnlyList<SecondarySource> AdditionalSources { get; private set; } = [];

    public IReadOnlyList<DecisionChange> Changes { get; private set; } = [];

    public List<string> Supersedes { get; private set; } = [];

    /// <summary>For a revoking decision: the name of the decision it revokes; else empty.</summary>
    public string Revokes { get; private set; } = string.Empty;

    public string RevokedBy { get; private set; } = string.Empty;

    public string SupersededBy { get; private set; } = string.Empty;

    public IReadOnlyList<Problem> RejectionReasons { get; private set; } = [];

    /// <summary>The committee its events are routed by (its first subject committee), fixed when issued.</summary>
    public string EventCommittee { get; private set; } = string.Empty;

    public CommitteeLevel EventCommitteeLevel { get; private set; }

    public string EventJurisdiction { get; private set; } = string.Empty;

    /// <summary>How many events this decision (as aggregate "decisions/{id}") has emitted.</summary>
    public long EventVersion { get; private set; }

    public DateTime CreateTime { get; private set; }

    public DateTime UpdateTime { get; private set; }

    public DateTime? IssueTime { get; private set; }

    public DateTime? OutcomeTime { get; private set; }

    /// <summary>Row version: the concurrency token and the etag.</summary>
    public int Version { get; private set; }

    public static string NameOf(string id) => $"{Collection}/{id}";

    /// <summary>The id of a decision whose author chose none.</summary>
    public static string NewId() => "d-" + Guid.CreateVersion7().ToString("N");

    public static Decision Create(string id, string ownerOrganisation, DecisionDraft draft, DateTime now)
    {
        var decision = new Decision { Id = id, OwnerOrganisation = ownerOrganisation, State = DecisionState.Draft, CreateTime = Stored(now) };
        decision.Redraft(draft, now);
        return decision;
    }

    /// <summary>
    /// A revoking decision: kind REVOKE and, first, <paramref name="endingEffects"/>, the change that ends
    /// <paramref name="revoked"/>'s effects. Its subject committees are the revoked decision's (it is issued after it
    /// on each of them), then any the draft adds.
    /// </summary>
    public static Decision CreateRevocation(
        string id, string ownerOrganisation, Decision revoked, DecisionChange endingEffects, DecisionDraft draft, DateTime now)
    {
        var decision = Create(id, ownerOrganisation, draft with
        {
            Kinds = draft.Kinds.Append(DecisionKind.Revoke).Distinct().ToList(),
            Changes = draft.Changes.Prepend(endingEffects).ToList(),
            SubjectCommittees = revoked.SubjectCommittees.Concat(draft.SubjectCommittees).ToList(),
        }, now);
        decision.Revokes = revoked.Name;
        return decision;
    }

    /// <summary>Replaces what the author wrote; only a draft may change.</summary>
    public void Redraft(DecisionDraft draft, DateTime now)
    {
        EnsureDraft("edited");
        Number = draft.Number;
        NumberFolded = VietnameseText.Fold(draft.Number);
        IssuerOrganisation = draft.IssuerOrganisation;
        IssuerDisplayName = draft.IssuerDisplayName;
        Signer = draft.Signer;
        SignedDate = draft.SignedDate;
        EffectiveDate = draft.EffectiveDate;
        EffectiveOn = draft.EffectiveDate?.FirstDay ?? DateOnly.MinValue;
        Kinds = draft.Kinds.Distinct().ToList();
        SubjectCommittees = draft.SubjectCommittees.Distinct(StringComparer.Ordinal).ToList();
        Title = draft.Title;
        TitleFolded = VietnameseText.Fold(draft.Title);
        Summary = draft.Summary;
        SummaryFolded = VietnameseText.Fold(draft.Summary);
        LegalBasis = draft.LegalBasis.ToList();
        Document = draft.Document;
        Source = draft.Source;
        AdditionalSources = draft.AdditionalSources.ToList();
        Changes = draft.Changes.ToList();
        Supersedes = draft.Supersedes.Distinct(StringComparer.Ordinal).ToList();
        Touch(now);
    }

    /// <summary>What the author wrote, to edit part of it (UpdateDecision's field mask).</summary>
    public DecisionDraft ToDraft() => new()
    {
        Number = Number,
        IssuerOrganisation = IssuerOrganisation,
        IssuerDisplayName = IssuerDisplayName,
        Signer = Signer,
        SignedDate = SignedDate,
        EffectiveDate = EffectiveDate,
        Kinds = Kinds,
        SubjectCommittees = SubjectCommittees,
        Title = Title,
        Summary = Summary,
        LegalBasis = LegalBasis,
        Document = Document,
        Source = Source,
        AdditionalSources = AdditionalSources,
        Changes = Changes,
        Supersedes = Supersedes,
    };

    /// <summary>Freezes the draft; its events are routed by <paramref name="route"/> from now on.</summary>
    public void Issue(EventRoute route, DateTime now)
    {
        EnsureDraft("issued");
        State = DecisionState.Issued;
        IssueTime = Stored(now);
        EventCommittee = route.Committee;
        EventCommitteeLevel = route.Level;
        EventJurisdiction = route.Jurisdiction;
        Touch(now);
    }

    /// <summary>The version of the next event this decision emits (DecisionIssued is 1).</summary>
    public long NextEventVersion() => ++EventVersion;

    /// <summary>Membership applied every change. Returns false when an outcome was already recorded.</summary>
    public bool RecordApplied(DateTime now) => RecordOutcome(DecisionState.Applied, [], now);

    /// <summary>Membership applied nothing, for these reasons. Returns false when an outcome was already recorded.</summary>
    public bool RecordRejected(IReadOnlyList<Problem> reasons, DateTime now) => RecordOutcome(DecisionState.Rejected, reasons, now);

    public void MarkRevoked(string revokingDecision, DateTime now)
    {
        State = DecisionState.Revoked;
        RevokedBy = revokingDecision;
        Touch(now);
    }

    public void MarkSuperseded(string supersedingDecision, DateTime now)
    {
        State = DecisionState.Superseded;
        SupersededBy = supersedingDecision;
        Touch(now);
    }

    public void EnsureDraft(string action)
    {
        if (State != DecisionState.Draft)
        {
            throw new DecisionRuleException(
                "DECISION_NOT_DRAFT",
                $"{Name} is {State.ToString().ToUpperInvariant()}: only a draft can be {action}",
                [new RuleViolation("STATE", Name, "only a DRAFT decision can be " + action)]);
        }
    }

    /// <summary>Only an issued or applied decision has effects to end.</summary>
    public void EnsureRevocable()
    {
        if (State is not (DecisionState.Issued or DecisionState.Applied))
        {
            throw new DecisionRuleException(
                "DECISION_NOT_REVOCABLE",
                $"{Name} is {State.ToString().ToUpperInvariant()}: only an ISSUED or APPLIED decision can be revoked",
                [new RuleViolation("STATE", Name, "only an ISSUED or APPLIED decision can be revoked")]);
        }
    }

    private bool RecordOutcome(DecisionState state, IReadOnlyList<Problem> reasons, DateTime now)
    {
        if (OutcomeTime is not null || State == DecisionState.Draft)
        {
            return false;
        }

        // A decision revoked or superseded while awaiting its outcome keeps that state; the outcome is still recorded.
        if (State == DecisionState.Issued)
        {
            State = state;
        }

        RejectionReasons = reasons.ToList();
        OutcomeTime = Stored(now);
        Touch(now);
        return true;
    }

    private void Touch(DateTime now)
    {
        UpdateTime = Stored(now);
        Version++;
    }

    // The database keeps microseconds: an answer given before a write must equal the one read after it.
    private static DateTime Stored(DateTime time) => new(time.Ticks - (time.Ticks % 10), time.Kind);
}

/// <summary>The committee a decision's events are routed by: level and jurisdiction go into routing keys.</summary>
public sealed record EventRoute(string Committee, CommitteeLevel Level, string Jurisdiction);
