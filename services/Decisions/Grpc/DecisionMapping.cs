using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Types.V1;
using Google.Protobuf.WellKnownTypes;
using DecisionMessage = Egov.Steering.Decisions.V1.Decision;

namespace Egov.Steering.Decisions.Grpc;

/// <summary>From the stored decision to the contract's <see cref="DecisionMessage"/>.</summary>
internal static class DecisionMapping
{
    public static DecisionMessage ToMessage(this Domain.Decision decision)
    {
        var message = decision.ToDraft().ToMessage();
        message.Name = decision.Name;
        message.OwnerOrganisation = decision.OwnerOrganisation;
        message.State = decision.State;
        message.Revokes = decision.Revokes;
        message.RevokedBy = decision.RevokedBy;
        message.SupersededBy = decision.SupersededBy;
        message.RejectionReasons.Add(decision.RejectionReasons.Select(reason => reason.Clone()));
        message.CreateTime = Time(decision.CreateTime);
        message.UpdateTime = Time(decision.UpdateTime);
        message.IssueTime = decision.IssueTime is { } issued ? Time(issued) : null;
        message.OutcomeTime = decision.OutcomeTime is { } outcome ? Time(outcome) : null;
        message.Etag = decision.Etag;
        return message;
    }

    /// <summary>The fields an author writes (no name, state or times).</summary>
    public static DecisionMessage ToMessage(this DecisionDraft draft)
    {
        var message = new DecisionMessage
        {
            Number = draft.Number,
            Issuer = new Issuer { Organisation = draft.IssuerOrganisation, DisplayName = draft.IssuerDisplayName },
            Signer = draft.Signer is { } signer
                ? new Signer { DisplayName = signer.DisplayName, Title = signer.Title, Person = signer.Person }
                : null,
            SignedDate = draft.SignedDate?.ToMessage(),
            EffectiveDate = draft.EffectiveDate?.ToMessage(),
            Title = draft.Title,
            Summary = draft.Summary,
            Document = draft.Document is { } document
                ? new DocumentReference { Uri = document.Uri, MediaType = document.MediaType, Sha256 = document.Sha256 }
                : null,
            Source = draft.Source is { } source
                ? new SourceCitation
                {
                    Uri = source.Uri,
                    Title = source.Title,
                    Publisher = source.Publisher,
                    PublishedDate = source.PublishedDate?.ToMessage(),
                }
                : null,
        };
        message.Kinds.Add(draft.Kinds);
        message.SubjectCommittees.Add(draft.SubjectCommittees);
        message.LegalBasis.Add(draft.LegalBasis.Select(basis => new LegalBasis { Citation = basis.Text, Decision = basis.Decision }));
        message.Changes.Add(draft.Changes.Select(change => change.Clone()));
        message.Supersedes.Add(draft.Supersedes);
        return message;
    }

    public static CivilDate ToMessage(this CivilDay day) =>
        new() { Year = day.Year, Month = day.Month, Day = day.Day, Precision = day.Precision };

    private static Timestamp Time(DateTime utc) => Timestamp.FromDateTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
