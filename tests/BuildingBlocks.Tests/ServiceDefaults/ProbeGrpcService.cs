using System.Net.Sockets;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Testing.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>The test-only gRPC service: throws what it is asked to, validates like a real service.</summary>
public sealed class ProbeGrpcService : ProbeService.ProbeServiceBase
{
    public const string SecretDetail = "connection to 10.0.0.7 failed for user nguyen.van.a";

    public static readonly ResourceNameTemplate Committee = new("committees/{committee}");

    public override Task<FailResponse> Fail(FailRequest request, ServerCallContext context) => throw Exception(request.Failure);

    public override async Task FailStreaming(FailRequest request, IServerStreamWriter<FailResponse> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new FailResponse { Note = "first" });
        throw Exception(request.Failure);
    }

    public override Task<Thing> CreateThing(CreateThingRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.ResourceName("parent", request.Parent, Committee);
        var displayName = validator.Text("display_name", request.DisplayName, maxLength: 20);
        var level = validator.Enum("level", request.Level);
        var pageSize = validator.PageSize("page_size", request.PageSize, defaultSize: 10, maxSize: 100);
        validator.ThrowIfInvalid();
        return Task.FromResult(new Thing { Parent = request.Parent, DisplayName = displayName, Level = level, PageSize = pageSize });
    }

    private static Exception Exception(string failure) => failure switch
    {
        "validation" => new RequestValidationException([new("display_name", "is required"), new("parent", "must be a resource name")]),
        "not_found" => new ResourceNotFoundException("committees/gia-lai"),
        "already_exists" => new ResourceAlreadyExistsException("committees/gia-lai"),
        "precondition" => new PreconditionFailedException(
            "DECISION_NOT_DRAFT",
            "only drafts can be issued",
            [new PreconditionViolation("STATUS", "decisions/d-701", "the decision is ISSUED")]),
        "stale_etag" => new StaleEtagException("committees/gia-lai"),
        "permission" => new PermissionDeniedException("NOT_OWNER", "committees/gia-lai belongs to province-2025-52"),
        "cancelled" => new OperationCanceledException(),
        "concurrent" => new DbUpdateConcurrencyException("row version changed"),
        "database_down" => new InvalidOperationException(
            "a transient failure", new NpgsqlException(SecretDetail, new SocketException((int)SocketError.ConnectionRefused))),
        _ => new InvalidOperationException(SecretDetail),
    };
}
