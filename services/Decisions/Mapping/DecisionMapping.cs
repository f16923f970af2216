using Egov.Steering.Decisions.Domain;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf.WellKnownTypes;
using Contract = Egov.Steering.Decisions.V1;
using TypesV1 = Egov.Steering.Types.V1;

namespace Egov.Steering.Decisions.Mapping;

/// <summary>
/// From the domain's decision to the contract's (gRPC answers, DecisionIssued) and back for what the contract
/// carries in: enum numbers equal the contract's, so enums map with a cast.
/// </summary>
internal static class DecisionMapping
{
    public static Contract.Decision ToMessage(this Decision decision)
    {
        var message = decision.ToDraft().ToMessage();
        message.Name = decision.Name;
        message.OwnerOrganisation = decision.OwnerOrganisation;
        message.State = (Contract.DecisionState)(int)decision.State;
        message.Revokes = decision.Revokes;
        message.RevokedBy = decision.RevokedBy;
        message.SupersededBy = decision.SupersededBy;
        message.RejectionReasons.Add(decision.RejectionReasons.Select(ToMessage));
        message.CreateTime = Time(decision.CreateTime);
        message.UpdateTime = Time(decision.UpdateTime);
        message.IssueTime = decision.IssueTime is { } issued ? Time(issued) : null;
        message.OutcomeTime = decision.OutcomeTime is { } outcome ? Time(outcome) : null;
        message.Etag = EntityTag.Of(decision.Version);
        return message;
    }

    /// <summary>The fields an author writes (no name, state or times).</summary>
    public static Contract.Decision ToMessage(this DecisionDraft draft)
    {
        var message = new Contract.Decision
        {
            Number = draft.Number,
            Issuer = new Contract.Issuer { Organisation = draft.IssuerOrganisation, DisplayName = draft.IssuerDisplayName },
            Signer = draft.Signer is { } signer
                ? new Contract.Signer { DisplayName = signer.DisplayName, Title = signer.Title, Person = signer.Person }
                : null,
            SignedDate = draft.SignedDate?.ToMessage(),
            EffectiveDate = draft.EffectiveDate?.ToMessage(),
            Title = draft.Title,
            Summary = draft.Summary,
            Document = draft.Document is { } document
                ? new Contract.DocumentReference { Uri = document.Uri, MediaType = document.MediaType, Sha256 = document.Sha256 }
                : null,
            Source = draft.Source is { } source ? Citation(source) : null,
        };
        message.AdditionalSources.Add(draft.AdditionalSources.Select(Citation));
        message.Kinds.Add(draft.Kinds.Select(kind => (Contract.DecisionKind)(int)kind));
        message.SubjectCommittees.Add(draft.SubjectCommittees);
        message.LegalBasis.Add(draft.LegalBasis.Select(basis => new Contract.LegalBasis { Citation = basis.Text, Decision = basis.Decision }));
        message.Changes.Add(draft.Changes.Select(ChangeMapping.ToMessage));
        message.Supersedes.Add(draft.Supersedes);
        return message;
    }

    public static TypesV1.CivilDate ToMessage(this CivilDay day) =>
        new() { Year = day.Year, Month = day.Month, Day = day.Day, Precision = (TypesV1.DatePrecision)(int)day.Precision };

    public static TypesV1.ValidationProblem ToMessage(this Problem problem) =>
        new() { Field = problem.Field, Reason = problem.Reason, Description = problem.Description };

    public static Problem ToDomain(this TypesV1.ValidationProblem problem) => new(problem.Field, problem.Reason, problem.Description);

    public static DecisionKind ToDomain(this Contract.DecisionKind kind) => (DecisionKind)(int)kind;

    public static DecisionState ToDomain(this Contract.DecisionState state) => (DecisionState)(int)state;

    public static CommitteeLevel ToDomain(this TypesV1.CommitteeLevel level) => (CommitteeLevel)(int)level;

    public static TypesV1.CommitteeLevel ToMessage(this CommitteeLevel level) => (TypesV1.CommitteeLevel)(int)level;

    private static Contract.SourceCitation Citation(SecondarySource source) => new()
    {
        Uri = source.Uri,
        Title = source.Title,
        Publisher = source.Publisher,
        PublishedDate = source.PublishedDate?.ToMessage(),
    };

    private static Timestamp Time(DateTime utc) => Timestamp.FromDateTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
