using System.Text.RegularExpressions;
using Egov.Steering.Changes;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Mapping;
using Egov.Steering.Decisions.V1;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Types.V1;
using Google.Protobuf.WellKnownTypes;
using DatePrecision = Egov.Steering.Types.V1.DatePrecision;
using DecisionKind = Egov.Steering.Decisions.V1.DecisionKind;
using DecisionMessage = Egov.Steering.Decisions.V1.Decision;

namespace Egov.Steering.Decisions.Grpc;

/// <summary>
/// Checks the form of what an author sends (INVALID_ARGUMENT, every field at once) and turns it into a normalised
/// <see cref="DecisionDraft"/>. Whether the draft is complete and consistent enough to issue is
/// <see cref="DecisionRules"/>' and Membership's question, asked by ValidateDecision.
/// </summary>
internal static partial class DecisionInput
{
    public const int MaxChanges = 1000;
    public const int MaxAdditionalSources = 10;

    /// <summary>
    /// The largest decision, encoded: each request is bounded alone (<see cref="RequestLimits.MaxMessageBytes"/>), but a
    /// draft assembled from several, with its subject committees derived, must still fit the request of Membership's dry
    /// run and its DecisionIssued event, with room for their other fields.
    /// </summary>
    public const int MaxDecisionBytes = 768 * 1024;

    public static readonly ResourceNameTemplate DecisionName = new("decisions/{decision}");
    public static readonly ResourceNameTemplate CommitteeName = new("committees/{committee}");
    private static readonly ResourceNameTemplate PersonName = new("people/{person}");

    // The fields an author may change on a draft; the rest are set by the service.
    private static readonly HashSet<string> EditableFields =
    [
        "number", "issuer", "signer", "signed_date", "effective_date", "kinds", "subject_committees", "title", "summary",
        "legal_basis", "document", "source", "additional_sources", "changes", "supersedes",
    ];

    /// <summary>An optional client-chosen id: 3..63 characters of [a-z0-9-], starting with a letter.</summary>
    public static void ReadId(RequestValidator validator, string field, string id)
    {
        if (id.Length > 0 && !IdPattern().IsMatch(id))
        {
            validator.Add(field, "must be 3..63 characters of a-z, 0-9 and '-', starting with a letter");
        }
    }

    /// <summary>The id of the decision named "decisions/{decision}", or null (and the problem added) when malformed.</summary>
    public static string? ReadName(RequestValidator validator, string field, string name) =>
        validator.ResourceName(field, name, DecisionName)?[0];

    /// <summary>An update mask naming editable fields only, or "*" for all of them.</summary>
    public static void ReadUpdateMask(RequestValidator validator, string field, FieldMask? mask)
    {
        if (validator.Required(field, mask))
        {
            foreach (var path in mask!.Paths.Where(path => path != "*" && !EditableFields.Contains(path.Split('.')[0])))
            {
                validator.Add(field, $"'{path}' cannot be changed; editable fields: {string.Join(", ", EditableFields)} or *");
            }
        }
    }

    /// <summary>
    /// The stored draft with the masked fields of <paramref name="edit"/>, checked whole once merged
    /// (INVALID_ARGUMENT, every field at once).
    /// </summary>
    public static DecisionDraft Merge(DecisionDraft stored, DecisionMessage edit, FieldMask mask)
    {
        var merged = stored.ToMessage();
        var paths = mask.Paths.Contains("*") ? new FieldMask { Paths = { EditableFields } } : mask;
        paths.Merge(edit, merged, new FieldMask.MergeOptions { ReplaceMessageFields = true, ReplaceRepeatedFields = true });
        var validator = new RequestValidator();
        var draft = Read(validator, "decision", merged);
        validator.ThrowIfInvalid();
        return draft!;
    }

    public static DecisionDraft? Read(RequestValidator validator, string field, DecisionMessage? decision)
    {
        if (!validator.Required(field, decision))
        {
            return null;
        }

        var prefix = field + ".";
        var issuerOrganisation = string.Empty;
        var issuerName = string.Empty;
        if (validator.Required(prefix + "issuer", decision!.Issuer))
        {
            issuerOrganisation = decision.Issuer.Organisation;
            if (!Organisations.IsKnown(issuerOrganisation))
            {
                validator.Add(prefix + "issuer.organisation", "must be a known organisation code such as national, ministry-btttt or province-2025-52");
            }

            issuerName = validator.Text(prefix + "issuer.display_name", decision.Issuer.DisplayName, 300);
        }

        var draft = new DecisionDraft
        {
            Number = validator.Text(prefix + "number", decision.Number, 100, required: false),
            IssuerOrganisation = issuerOrganisation,
            IssuerDisplayName = issuerName,
            Signer = ReadSigner(validator, prefix + "signer", decision.Signer),
            SignedDate = ReadDate(validator, prefix + "signed_date", decision.SignedDate),
            EffectiveDate = ReadDate(validator, prefix + "effective_date", decision.EffectiveDate),
            Kinds = ReadKinds(validator, prefix + "kinds", decision.Kinds),
            SubjectCommittees = ReadNames(validator, prefix + "subject_committees", decision.SubjectCommittees, CommitteeName),
            Title = validator.Text(prefix + "title", decision.Title, 1000),
            Summary = validator.Text(prefix + "summary", decision.Summary, 4000, required: false, allowLineBreaks: true),
            LegalBasis = decision.LegalBasis.Select((basis, index) => ReadCitation(validator, $"{prefix}legal_basis[{index}]", basis)).ToList(),
            Document = ReadDocument(validator, prefix + "document", decision.Document),
            Source = ReadSource(validator, prefix + "source", decision.Source),
            AdditionalSources = ReadAdditionalSources(validator, prefix + "additional_sources", decision.AdditionalSources),
            Changes = ReadChanges(validator, prefix + "changes", decision.Changes),
            Supersedes = ReadNames(validator, prefix + "supersedes", decision.Supersedes, DecisionName),
        };

        // Left empty, they are the committees the changes act on: the decision then takes exactly their issue order.
        draft = draft.SubjectCommittees.Count > 0 ? draft : draft with { SubjectCommittees = ChangedCommittees.In(decision.Changes) };
        var size = draft.ToMessage().CalculateSize();
        if (size > MaxDecisionBytes)
        {
            validator.Add(field, $"must encode in at most {MaxDecisionBytes} bytes (is {size}): it travels whole to Membership's dry run and in its DecisionIssued event; split it into several decisions");
        }

        return draft;
    }

    /// <summary>A type/v1 CivilDate whose precision agrees with the parts set; null when absent.</summary>
    public static CivilDay? ReadDate(RequestValidator validator, string field, CivilDate? date)
    {
        if (date is null)
        {
            return null;
        }

        var valid = date.Year is >= 1900 and <= 2200 && date.Precision switch
        {
            DatePrecision.Year => date is { Month: 0, Day: 0 },
            DatePrecision.Month => date is { Month: >= 1 and <= 12, Day: 0 },
            DatePrecision.Day => date.Month is >= 1 and <= 12 && date.Day >= 1 && date.Day <= DateTime.DaysInMonth(date.Year, date.Month),
            _ => false,
        };
        if (!valid)
        {
            validator.Add(field, "must be a date of 1900..2200 whose precision agrees with its parts (YEAR: month and day 0; MONTH: day 0; DAY: a real calendar day)");
            return null;
        }

        return new CivilDay(date.Year, date.Month, date.Day, (Domain.DatePrecision)(int)date.Precision);
    }

    private static Signatory? ReadSigner(RequestValidator validator, string field, Signer? signer)
    {
        if (signer is null)
        {
            return null;
        }

        var person = string.Empty;
        if (signer.Person.Length > 0 && validator.ResourceName(field + ".person", signer.Person, PersonName) is not null)
        {
            person = signer.Person;
        }

        return new Signatory(
            validator.Text(field + ".display_name", signer.DisplayName, 200),
            validator.Text(field + ".title", signer.Title, 200),
            person);
    }

    private static List<Domain.DecisionKind> ReadKinds(RequestValidator validator, string field, IList<DecisionKind> kinds)
    {
        for (var index = 0; index < kinds.Count; index++)
        {
            validator.Enum($"{field}[{index}]", kinds[index]);
            if (kinds[index] == DecisionKind.Revoke)
            {
                validator.Add($"{field}[{index}]", "REVOKE is set by RevokeDecision, which records the revoking decision");
            }
        }

        return kinds.Select(kind => kind.ToDomain()).ToList();
    }

    private static List<string> ReadNames(RequestValidator validator, string field, IList<string> names, ResourceNameTemplate template)
    {
        for (var index = 0; index < names.Count; index++)
        {
            validator.ResourceName($"{field}[{index}]", names[index], template);
        }

        return names.ToList();
    }

    private static Citation ReadCitation(RequestValidator validator, string field, LegalBasis basis)
    {
        if (basis.Decision.Length > 0)
        {
            validator.ResourceName(field + ".decision", basis.Decision, DecisionName);
        }

        return new Citation(validator.Text(field + ".citation", basis.Citation, 1000), basis.Decision);
    }

    private static DocumentMetadata? ReadDocument(RequestValidator validator, string field, DocumentReference? document)
    {
        if (document is null)
        {
            return null;
        }

        var uri = ReadHttpsUri(validator, field + ".uri", document.Uri, required: false);
        var mediaType = validator.Text(field + ".media_type", document.MediaType, 100, required: false);
        if (mediaType.Length > 0 && !MediaTypePattern().IsMatch(mediaType))
        {
            validator.Add(field + ".media_type", "must be a media type such as application/pdf");
        }

        if (document.Sha256.Length > 0 && !Sha256Pattern().IsMatch(document.Sha256))
        {
            validator.Add(field + ".sha256", "must be the SHA-256 of the file as 64 lowercase hexadecimal characters");
        }

        return new DocumentMetadata(uri, mediaType, document.Sha256);
    }

    private static List<SecondarySource> ReadAdditionalSources(RequestValidator validator, string field, IList<SourceCitation> sources)
    {
        if (sources.Count > MaxAdditionalSources)
        {
            validator.Add(field, $"must hold at most {MaxAdditionalSources} sources (has {sources.Count})");
        }

        return [.. sources.Select((source, index) => ReadSource(validator, $"{field}[{index}]", source)!)];
    }

    private static SecondarySource? ReadSource(RequestValidator validator, string field, SourceCitation? source)
    {
        if (source is null)
        {
            return null;
        }

        // A source may have no address (a printed report, an archived copy): then its title must say what it is.
        var uri = ReadWebUri(validator, field + ".uri", source.Uri);
        return new SecondarySource(
            uri,
            validator.Text(field + ".title", source.Title, 500, required: uri.Length == 0),
            validator.Text(field + ".publisher", source.Publisher, 200, required: false),
            ReadDate(validator, field + ".published_date", source.PublishedDate));
    }

    private static List<DecisionChange> ReadChanges(RequestValidator validator, string field, IList<Change> changes)
    {
        if (changes.Count > MaxChanges)
        {
            validator.Add(field, $"must hold at most {MaxChanges} changes (has {changes.Count})");
        }

        for (var index = 0; index < changes.Count; index++)
        {
            if (changes[index].KindCase == Change.KindOneofCase.None)
            {
                validator.Add($"{field}[{index}]", "must set exactly one kind of change (appoint, relieve, set_roster, ...)");
            }

            if (changes[index].KindCase == Change.KindOneofCase.RevokeDecisionEffects)
            {
                validator.Add($"{field}[{index}].revoke_decision_effects", "is set by RevokeDecision only");
            }

            ReadDate(validator, $"{field}[{index}].effective_date", changes[index].EffectiveDate);
        }

        return changes.Select(change => change.ToDomain()).ToList();
    }

    // Sources are cited as published, and many are plain http addresses: never rewrite them.
    private static string ReadWebUri(RequestValidator validator, string field, string value)
    {
        var text = validator.Text(field, value, 2000, required: false);
        if (text.Length > 0 && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            validator.Add(field, "must be an absolute http:// or https:// address");
        }

        return text;
    }

    private static string ReadHttpsUri(RequestValidator validator, string field, string value, bool required)
    {
        var text = validator.Text(field, value, 2000, required);
        if (text.Length > 0 && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            validator.Add(field, "must be an absolute https:// address");
        }

        return text;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{2,62}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$", RegexOptions.IgnoreCase)]
    private static partial Regex MediaTypePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
