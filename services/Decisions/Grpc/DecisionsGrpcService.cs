using System.Globalization;
using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Events;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Paging;
using Egov.Steering.ServiceDefaults.Text;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Writes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Decision = Egov.Steering.Decisions.Domain.Decision;
using DecisionMessage = Egov.Steering.Decisions.V1.Decision;

namespace Egov.Steering.Decisions.Grpc;

/// <summary>egov.steering.decisions.v1.DecisionsService: drafting, validating, issuing and revoking decisions.</summary>
internal sealed class DecisionsGrpcService(
    DecisionsDbContext db,
    Caller caller,
    IdempotentWrites writes,
    DecisionValidation validation,
    TimeProvider time) : DecisionsService.DecisionsServiceBase
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;

    // The fields an author may change on a draft; the rest are set by the service.
    private static readonly HashSet<string> EditableFields =
    [
        "number", "issuer", "signer", "signed_date", "effective_date", "kinds", "subject_committees", "title", "summary",
        "legal_basis", "document", "source", "changes", "supersedes",
    ];

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<DecisionMessage> CreateDecision(CreateDecisionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var draft = DecisionInput.Read(validator, "decision", request.Decision);
        if (request.DecisionId.Length > 0 && !DecisionInput.IsValidId(request.DecisionId))
        {
            validator.Add("decision_id", "must be 3..63 characters of a-z, 0-9 and '-', starting with a letter");
        }

        validator.ThrowIfInvalid();
        caller.EnsureCanWrite(caller.Organisation);
        var id = request.DecisionId.Length > 0 ? request.DecisionId : "d-" + Guid.CreateVersion7().ToString("N");
        return writes.ExecuteAsync(db, request.RequestId, context.Method, Decision.NameOf(id), request, async cancellationToken =>
        {
            if (await db.Decisions.AnyAsync(d => d.Id == id, cancellationToken))
            {
                throw new ResourceAlreadyExistsException(Decision.NameOf(id));
            }

            var decision = Decision.Create(id, caller.Organisation, draft!, Now);
            db.Decisions.Add(decision);
            await db.SaveChangesAsync(cancellationToken);
            return decision.ToMessage();
        }, context.CancellationToken);
    }

    public override async Task<DecisionMessage> GetDecision(GetDecisionRequest request, ServerCallContext context)
    {
        var id = ReadName(request.Name);
        var decision = await FindAsync(id, tracked: false, context.CancellationToken);
        return decision.ToMessage();
    }

    public override async Task<ListDecisionsResponse> ListDecisions(ListDecisionsRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var pageSize = validator.PageSize("page_size", request.PageSize, DefaultPageSize, MaxPageSize);
        validator.ResourceName("committee", request.Committee, DecisionInput.CommitteeName, required: false);
        var number = VietnameseText.Fold(validator.Text("number", request.Number, 100, required: false));
        var words = VietnameseText.Fold(validator.Text("query", request.Query, 200, required: false))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var index = 0; index < request.Kinds.Count; index++)
        {
            validator.Enum($"kinds[{index}]", request.Kinds[index]);
        }

        for (var index = 0; index < request.States.Count; index++)
        {
            validator.Enum($"states[{index}]", request.States[index]);
        }

        var from = validator.Date("effective_start_date", request.EffectiveStartDate, required: false);
        var to = validator.Date("effective_end_date", request.EffectiveEndDate, required: false);
        if (from > to)
        {
            validator.Add("effective_end_date", "must not be before effective_start_date");
        }

        var after = PageToken.Parse(request, request.PageToken);
        validator.ThrowIfInvalid();

        var query = db.Decisions.AsNoTracking();
        if (request.Committee.Length > 0)
        {
            query = query.Where(d => d.SubjectCommittees.Contains(request.Committee));
        }

        if (request.Issuer.Length > 0)
        {
            query = query.Where(d => d.IssuerOrganisation == request.Issuer);
        }

        if (number.Length > 0)
        {
            query = query.Where(d => d.NumberFolded.Contains(number));
        }

        foreach (var word in words)
        {
            query = query.Where(d => d.TitleFolded.Contains(word) || d.SummaryFolded.Contains(word));
        }

        if (request.Kinds.Count > 0)
        {
            var kinds = request.Kinds.ToList();
            query = query.Where(d => d.Kinds.Any(kind => kinds.Contains(kind)));
        }

        if (request.States.Count > 0)
        {
            var states = request.States.ToList();
            query = query.Where(d => states.Contains(d.State));
        }

        if (from is { } start)
        {
            query = query.Where(d => d.EffectiveOn >= start);
        }

        if (to is { } end)
        {
            query = query.Where(d => d.EffectiveOn != DateOnly.MinValue && d.EffectiveOn <= end);
        }

        // Latest effective date first (undated drafts last), then by id: a total order for keyset paging.
        if (after is [var lastOnText, var lastId])
        {
            var lastOn = DateOnly.ParseExact(lastOnText, "O", CultureInfo.InvariantCulture);
            query = query.Where(d => d.EffectiveOn < lastOn || (d.EffectiveOn == lastOn && string.Compare(d.Id, lastId) > 0));
        }

        var page = await query.OrderByDescending(d => d.EffectiveOn).ThenBy(d => d.Id).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListDecisionsResponse();
        response.Decisions.Add(page.Take(pageSize).Select(d => d.ToMessage()));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = PageToken.Create(request, last.EffectiveOn.ToString("O", CultureInfo.InvariantCulture), last.Id);
        }

        return response;
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<DecisionMessage> UpdateDecision(UpdateDecisionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = request.Decision is null ? null : ReadName(validator, "decision.name", request.Decision.Name);
        if (validator.Required("update_mask", request.UpdateMask))
        {
            foreach (var path in request.UpdateMask.Paths.Where(path => path != "*" && !EditableFields.Contains(path.Split('.')[0])))
            {
                validator.Add("update_mask", $"'{path}' cannot be changed; editable fields: {string.Join(", ", EditableFields)} or *");
            }
        }

        // The masked fields are checked after they are merged into the stored draft, so report the request's shape first.
        validator.Required("decision", request.Decision);
        validator.ThrowIfInvalid();
        return writes.ExecuteAsync(db, request.RequestId, context.Method, Decision.NameOf(id!), request, async cancellationToken =>
        {
            var decision = await FindWritableAsync(id!, request.Decision!.Etag, cancellationToken);
            decision.EnsureDraft("edited");
            var merged = decision.ToDraft().ToMessage();
            var mask = request.UpdateMask.Paths.Contains("*") ? new FieldMask { Paths = { EditableFields } } : request.UpdateMask;
            mask.Merge(request.Decision, merged, new FieldMask.MergeOptions { ReplaceMessageFields = true, ReplaceRepeatedFields = true });

            var mergedValidator = new RequestValidator();
            var draft = DecisionInput.Read(mergedValidator, "decision", merged);
            mergedValidator.ThrowIfInvalid();
            decision.Redraft(draft!, Now);
            await db.SaveChangesAsync(cancellationToken);
            return decision.ToMessage();
        }, context.CancellationToken);
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<Empty> DeleteDecision(DeleteDecisionRequest request, ServerCallContext context)
    {
        var id = ReadName(request.Name);
        return writes.ExecuteAsync(db, request.RequestId, context.Method, Decision.NameOf(id), request, async cancellationToken =>
        {
            var decision = await FindWritableAsync(id, request.Etag, cancellationToken);
            decision.EnsureDraft("deleted");
            db.Decisions.Remove(decision);
            await db.SaveChangesAsync(cancellationToken);
            return new Empty();
        }, context.CancellationToken);
    }

    public override async Task<ValidateDecisionResponse> ValidateDecision(ValidateDecisionRequest request, ServerCallContext context)
    {
        var decision = await FindAsync(ReadName(request.Name), tracked: false, context.CancellationToken);
        var verdict = await validation.ValidateAsync(decision, context.CancellationToken);
        return new ValidateDecisionResponse { Problems = { verdict.Problems } };
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<DecisionMessage> IssueDecision(IssueDecisionRequest request, ServerCallContext context)
    {
        var id = ReadName(request.Name);
        return writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            Decision.NameOf(id),
            request,
            async cancellationToken =>
            {
                var draft = await FindAsync(id, tracked: false, cancellationToken);
                EnsureWritable(draft, request.Etag);
                draft.EnsureDraft("issued");
                return (draft.Etag, Route: await ValidateForIssueAsync(draft, cancellationToken));
            },
            async (validated, cancellationToken) =>
            {
                // The version validated, or ABORTED: an edit made meanwhile was not validated.
                var decision = await FindWritableAsync(id, validated.Etag, cancellationToken);
                await IssueValidatedAsync(decision, validated.Route, cancellationToken);
                return decision.ToMessage();
            },
            context.CancellationToken);
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<DecisionMessage> RevokeDecision(RevokeDecisionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = ReadName(validator, "name", request.Name);
        var draft = DecisionInput.Read(validator, "revoking_decision", request.RevokingDecision);
        if (request.RevokingDecisionId.Length > 0 && !DecisionInput.IsValidId(request.RevokingDecisionId))
        {
            validator.Add("revoking_decision_id", "must be 3..63 characters of a-z, 0-9 and '-', starting with a letter");
        }

        validator.ThrowIfInvalid();
        var revokingId = request.RevokingDecisionId.Length > 0 ? request.RevokingDecisionId : "d-" + Guid.CreateVersion7().ToString("N");
        var now = Now;

        // Built from the revoked decision as read: the same version of it gives the same revocation.
        Decision RevocationOf(Decision revoked) => Decision.CreateRevocation(revokingId, revoked.OwnerOrganisation, revoked, draft!, now);

        // Read, not written: the revoked decision changes only when the revocation is applied.
        async Task<Decision> FindRevocableAsync(string? etag, CancellationToken cancellationToken)
        {
            var revoked = await FindAsync(id!, tracked: false, cancellationToken);
            EnsureWritable(revoked, etag);
            await EnsureRevocableAsync(revoked, cancellationToken);
            if (await db.Decisions.AnyAsync(d => d.Id == revokingId, cancellationToken))
            {
                throw new ResourceAlreadyExistsException(Decision.NameOf(revokingId));
            }

            return revoked;
        }

        return writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            Decision.NameOf(revokingId),
            request,
            async cancellationToken =>
            {
                var revoked = await FindRevocableAsync(request.Etag, cancellationToken);
                return (revoked.Etag, Route: await ValidateForIssueAsync(RevocationOf(revoked), cancellationToken));
            },
            async (validated, cancellationToken) =>
            {
                // The revoked decision as validated, or ABORTED: its revocation was validated against that version.
                var revoking = RevocationOf(await FindRevocableAsync(validated.Etag, cancellationToken));
                db.Decisions.Add(revoking);
                await IssueValidatedAsync(revoking, validated.Route, cancellationToken);
                return revoking.ToMessage();
            },
            context.CancellationToken);
    }

    /// <summary>
    /// Validates before issuing, outside any transaction (Membership's dry run may be slow): every problem →
    /// FAILED_PRECONDITION. Returns the route of the decision's events.
    /// </summary>
    private async Task<EventRoute> ValidateForIssueAsync(Decision decision, CancellationToken cancellationToken)
    {
        var verdict = await validation.ValidateAsync(decision, cancellationToken);
        if (verdict.Problems.Count > 0)
        {
            throw new PreconditionFailedException(
                "DECISION_HAS_PROBLEMS",
                $"{decision.Name} cannot be issued: {verdict.Problems.Count} problem(s); ValidateDecision lists them",
                verdict.Problems.Select(problem => new PreconditionViolation(problem.Reason, problem.Field, problem.Description)).ToList());
        }

        return verdict.Route!;
    }

    /// <summary>
    /// In the write's transaction, with no remote call: freezes the validated decision, numbers it in each subject
    /// committee's issue order and adds DecisionIssued to the outbox, on the one ordering key of all issued decisions.
    /// </summary>
    private async Task IssueValidatedAsync(Decision decision, EventRoute route, CancellationToken cancellationToken)
    {
        decision.Issue(route, Now);
        // Claimed before the outbox row is inserted: an issue waiting for a committee's number inserts its row after
        // the one holding it has committed, so the key's insert order is each committee's issue order.
        var sequences = await CommitteeIssueSequences.ClaimNextAsync(db, decision.SubjectCommittees, cancellationToken);
        db.AddOutboxEvent(DecisionEvents.Issued(decision, sequences, Now), DecisionEvents.IssuedOrderingKey);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DecisionsDbContext.IsIssuedNumberTaken(exception))
        {
            throw new PreconditionFailedException(
                "DECISION_HAS_PROBLEMS",
                $"{decision.Name} cannot be issued: its number was issued meanwhile",
                [new PreconditionViolation("NUMBER_ALREADY_USED", "number", $"{decision.IssuerOrganisation} already issued number \"{decision.Number}\"")]);
        }
    }

    // Only an issued or applied decision has effects to end, and one revocation in force (or pending) is enough.
    private async Task EnsureRevocableAsync(Decision revoked, CancellationToken cancellationToken)
    {
        if (revoked.State is not (V1.DecisionState.Issued or V1.DecisionState.Applied))
        {
            throw new PreconditionFailedException(
                "DECISION_NOT_REVOCABLE",
                $"{revoked.Name} is {revoked.State.ToString().ToUpperInvariant()}: only an ISSUED or APPLIED decision can be revoked",
                [new PreconditionViolation("STATE", revoked.Name, "only an ISSUED or APPLIED decision can be revoked")]);
        }

        var pending = await db.Decisions
            .Where(d => d.Revokes == revoked.Name && (d.State == V1.DecisionState.Issued || d.State == V1.DecisionState.Applied))
            .Select(d => d.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (pending is not null)
        {
            throw new PreconditionFailedException(
                "DECISION_ALREADY_REVOKED",
                $"{revoked.Name} is already revoked by {Decision.NameOf(pending)}",
                [new PreconditionViolation("STATE", revoked.Name, $"revoked by {Decision.NameOf(pending)}")]);
        }
    }

    // Every reader sees every decision, drafts included (the contract's rule); only writes are the owner's.
    private async Task<Decision> FindAsync(string id, bool tracked, CancellationToken cancellationToken)
    {
        var decisions = tracked ? db.Decisions : db.Decisions.AsNoTracking();
        return await decisions.SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new ResourceNotFoundException(Decision.NameOf(id));
    }

    private async Task<Decision> FindWritableAsync(string id, string? etag, CancellationToken cancellationToken)
    {
        var decision = await FindAsync(id, tracked: true, cancellationToken);
        EnsureWritable(decision, etag);
        return decision;
    }

    private void EnsureWritable(Decision decision, string? etag)
    {
        caller.EnsureCanWrite(decision.OwnerOrganisation);
        decision.EnsureEtag(etag);
    }

    private static string ReadName(string name)
    {
        var validator = new RequestValidator();
        var id = ReadName(validator, "name", name);
        validator.ThrowIfInvalid();
        return id!;
    }

    private static string? ReadName(RequestValidator validator, string field, string name) =>
        validator.ResourceName(field, name, DecisionInput.DecisionName)?[0];
}
