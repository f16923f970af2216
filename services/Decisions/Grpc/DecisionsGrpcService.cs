using System.Globalization;
using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Mapping;
using Egov.Steering.Decisions.UseCases;
using Egov.Steering.Decisions.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Paging;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Text;
using Egov.Steering.Writes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Decision = Egov.Steering.Decisions.Domain.Decision;
using DecisionMessage = Egov.Steering.Decisions.V1.Decision;

namespace Egov.Steering.Decisions.Grpc;

/// <summary>
/// egov.steering.decisions.v1.DecisionsService: each method checks the request's form, calls one use case and maps
/// its answer; writes run in the idempotent unit, whose stored answer is the contract's.
/// </summary>
internal sealed class DecisionsGrpcService(
    DecisionsDbContext db,
    IdempotentWrites writes,
    DecisionDrafts drafts,
    DecisionQueries queries,
    DecisionIssuing issuing) : DecisionsService.DecisionsServiceBase
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<DecisionMessage> CreateDecision(CreateDecisionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var draft = DecisionInput.Read(validator, "decision", request.Decision);
        DecisionInput.ReadId(validator, "decision_id", request.DecisionId);
        validator.ThrowIfInvalid();
        var id = request.DecisionId.Length > 0 ? request.DecisionId : Decision.NewId();
        return WriteAsync(request, request.RequestId, id, context, cancellationToken => drafts.CreateAsync(id, draft!, cancellationToken));
    }

    public override async Task<DecisionMessage> GetDecision(GetDecisionRequest request, ServerCallContext context) =>
        (await queries.GetAsync(ReadName(request.Name), context.CancellationToken)).ToMessage();

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

        var page = await queries.ListAsync(
            new DecisionSearch
            {
                Committee = request.Committee,
                Issuer = request.Issuer,
                NumberFolded = number,
                WordsFolded = words,
                Kinds = request.Kinds.Select(kind => kind.ToDomain()).ToList(),
                States = request.States.Select(state => state.ToDomain()).ToList(),
                EffectiveFrom = from,
                EffectiveTo = to,
                After = after is [var lastOn, var lastId]
                    ? new DecisionPosition(DateOnly.ParseExact(lastOn, "O", CultureInfo.InvariantCulture), lastId)
                    : null,
                PageSize = pageSize,
            },
            context.CancellationToken);
        var messages = page.Decisions.Select(decision => decision.ToMessage()).ToList();
        var fitting = PageBytes.Fitting(messages);
        var response = new ListDecisionsResponse { Decisions = { messages.Take(fitting) } };
        // A page cut short by its bytes goes on after the last decision it holds.
        if ((fitting < messages.Count ? DecisionPosition.Of(page.Decisions[fitting - 1]) : page.Next) is { } next)
        {
            response.NextPageToken = PageToken.Create(request, next.EffectiveOn.ToString("O", CultureInfo.InvariantCulture), next.Id);
        }

        return response;
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<DecisionMessage> UpdateDecision(UpdateDecisionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = request.Decision is null ? null : DecisionInput.ReadName(validator, "decision.name", request.Decision.Name);
        DecisionInput.ReadUpdateMask(validator, "update_mask", request.UpdateMask);

        // The masked fields are checked after they are merged into the stored draft, so report the request's shape first.
        validator.Required("decision", request.Decision);
        validator.ThrowIfInvalid();
        return WriteAsync(request, request.RequestId, id!, context, cancellationToken => drafts.RedraftAsync(
            id!, request.Decision!.Etag, stored => DecisionInput.Merge(stored, request.Decision, request.UpdateMask), cancellationToken));
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<Empty> DeleteDecision(DeleteDecisionRequest request, ServerCallContext context)
    {
        var id = ReadName(request.Name);
        return DecisionRefusals.MapAsync(writes.ExecuteAsync(db, request.RequestId, context.Method, Decision.NameOf(id), request, async cancellationToken =>
        {
            await drafts.DeleteAsync(id, request.Etag, cancellationToken);
            return new Empty();
        }, context.CancellationToken));
    }

    public override async Task<ValidateDecisionResponse> ValidateDecision(ValidateDecisionRequest request, ServerCallContext context)
    {
        var problems = await queries.ValidateAsync(ReadName(request.Name), context.CancellationToken);
        return new ValidateDecisionResponse { Problems = { problems.Select(problem => problem.ToMessage()) } };
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<DecisionMessage> IssueDecision(IssueDecisionRequest request, ServerCallContext context)
    {
        var id = ReadName(request.Name);
        return WriteValidatedAsync(
            request,
            request.RequestId,
            id,
            context,
            cancellationToken => issuing.ValidateIssueAsync(id, request.Etag, cancellationToken),
            (validated, cancellationToken) => issuing.IssueAsync(id, validated, cancellationToken));
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override Task<DecisionMessage> RevokeDecision(RevokeDecisionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = DecisionInput.ReadName(validator, "name", request.Name);
        var draft = DecisionInput.Read(validator, "revoking_decision", request.RevokingDecision);
        DecisionInput.ReadId(validator, "revoking_decision_id", request.RevokingDecisionId);
        validator.ThrowIfInvalid();
        var revokingId = request.RevokingDecisionId.Length > 0 ? request.RevokingDecisionId : Decision.NewId();
        var revocation = new Revocation(id!, revokingId, draft!, ChangeMapping.EndingEffectsOf(Decision.NameOf(id!)));
        return WriteValidatedAsync(
            request,
            request.RequestId,
            revokingId,
            context,
            cancellationToken => issuing.ValidateRevocationAsync(revocation, request.Etag, cancellationToken),
            (validated, cancellationToken) => issuing.RevokeAsync(revocation, validated, cancellationToken));
    }

    // A write of decision {id} in the idempotent unit: a retry with the same request_id gets the first answer.
    private Task<DecisionMessage> WriteAsync(
        IMessage request, string requestId, string id, ServerCallContext context, Func<CancellationToken, Task<Decision>> write) =>
        DecisionRefusals.MapAsync(writes.ExecuteAsync(
            db, requestId, context.Method, Decision.NameOf(id), request, async cancellationToken => (await write(cancellationToken)).ToMessage(), context.CancellationToken));

    // As WriteAsync, with a validation first and outside the unit's transaction.
    private Task<DecisionMessage> WriteValidatedAsync(
        IMessage request,
        string requestId,
        string id,
        ServerCallContext context,
        Func<CancellationToken, Task<ValidatedIssue>> validate,
        Func<ValidatedIssue, CancellationToken, Task<Decision>> write) =>
        DecisionRefusals.MapAsync(writes.ExecuteAsync(
            db,
            requestId,
            context.Method,
            Decision.NameOf(id),
            request,
            validate,
            async (validated, cancellationToken) => (await write(validated, cancellationToken)).ToMessage(),
            context.CancellationToken));

    private static string ReadName(string name)
    {
        var validator = new RequestValidator();
        var id = DecisionInput.ReadName(validator, "name", name);
        validator.ThrowIfInvalid();
        return id!;
    }
}
