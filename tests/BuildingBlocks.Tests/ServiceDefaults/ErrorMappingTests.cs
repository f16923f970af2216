using Egov.Steering.Testing.V1;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>What a client in any language sees when a service throws: the status code and google.rpc details.</summary>
public sealed class ErrorMappingTests : IAsyncLifetime
{
    private TestServiceHost host = null!;
    private ProbeService.ProbeServiceClient client = null!;

    public async Task InitializeAsync()
    {
        host = await TestServiceHost.StartAsync();
        client = new ProbeService.ProbeServiceClient(host.Channel);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Validation_failure_is_invalid_argument_with_every_field_violation()
    {
        var status = await FailAsync("validation");

        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        Assert.Equal("INVALID_REQUEST", ErrorInfo(status).Reason);
        var violations = status.GetDetail<BadRequest>().FieldViolations;
        Assert.Equal(["display_name", "parent"], violations.Select(violation => violation.Field));
        Assert.Equal("is required", violations[0].Description);
    }

    [Theory]
    [InlineData("not_found", StatusCode.NotFound, "RESOURCE_NOT_FOUND")]
    [InlineData("already_exists", StatusCode.AlreadyExists, "RESOURCE_ALREADY_EXISTS")]
    [InlineData("stale_etag", StatusCode.Aborted, "ETAG_MISMATCH")]
    public async Task Resource_errors_name_the_resource(string failure, StatusCode code, string reason)
    {
        var status = await FailAsync(failure);

        Assert.Equal((int)code, status.Code);
        var info = ErrorInfo(status);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("steering.egov.gov.vn", info.Domain);
        Assert.Equal("committees/gia-lai", info.Metadata["resource"]);
        var resource = status.GetDetail<ResourceInfo>();
        Assert.Equal("committees/gia-lai", resource.ResourceName);
        Assert.Equal("committees", resource.ResourceType);
    }

    [Fact]
    public async Task Precondition_failure_carries_its_violations()
    {
        var status = await FailAsync("precondition");

        Assert.Equal((int)StatusCode.FailedPrecondition, status.Code);
        Assert.Equal("DECISION_NOT_DRAFT", ErrorInfo(status).Reason);
        Assert.Equal("only drafts can be issued", status.Message);
        var violation = Assert.Single(status.GetDetail<PreconditionFailure>().Violations);
        Assert.Equal(("STATUS", "decisions/d-701"), (violation.Type, violation.Subject));
    }

    [Fact]
    public async Task Permission_denied_keeps_its_reason()
    {
        var status = await FailAsync("permission");

        Assert.Equal((int)StatusCode.PermissionDenied, status.Code);
        Assert.Equal("NOT_OWNER", ErrorInfo(status).Reason);
    }

    [Fact]
    public async Task Cancellation_is_cancelled()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => client.FailAsync(new FailRequest { Failure = "cancelled" }).ResponseAsync);

        Assert.Equal(StatusCode.Cancelled, exception.StatusCode);
    }

    [Fact]
    public async Task Unexpected_exception_is_internal_with_a_trace_id_and_nothing_else()
    {
        var status = await FailAsync("unexpected");

        Assert.Equal((int)StatusCode.Internal, status.Code);
        var traceId = ErrorInfo(status).Metadata["trace_id"];
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal($"internal error; trace id {traceId}", status.Message);
        Assert.DoesNotContain(status.Details, detail => detail.Is(DebugInfo.Descriptor));
        Assert.DoesNotContain(ProbeGrpcService.SecretDetail, status.ToString(), StringComparison.Ordinal);

        // The operator finds the real cause in the log under the same trace id.
        Assert.Contains(host.Logs.Entries, entry =>
            entry.Level == LogLevel.Error && entry.Message.Contains(traceId, StringComparison.Ordinal) && entry.Exception?.Message == ProbeGrpcService.SecretDetail);
    }

    [Theory]
    [InlineData("concurrent", StatusCode.Aborted, "CONCURRENT_MODIFICATION")]
    [InlineData("database_down", StatusCode.Unavailable, "DEPENDENCY_UNAVAILABLE")]
    public async Task Storage_failures_are_retryable_statuses_without_their_details(string failure, StatusCode code, string reason)
    {
        var status = await FailAsync(failure);

        Assert.Equal((int)code, status.Code);
        Assert.Equal(reason, ErrorInfo(status).Reason);
        Assert.DoesNotContain(ProbeGrpcService.SecretDetail, status.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_after_a_streamed_response_are_mapped_too()
    {
        using var call = client.FailStreaming(new FailRequest { Failure = "not_found" });

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var exception = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
        Assert.Equal("committees/gia-lai", exception.GetRpcStatus()!.GetDetail<ResourceInfo>().ResourceName);
    }

    [Fact]
    public async Task Request_validator_reports_all_problems_at_once()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => client.CreateThingAsync(new CreateThingRequest
        {
            Parent = "committees/Gia Lai",
            DisplayName = "   ",
            Level = (ThingLevel)7,
            PageSize = -1,
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        var fields = exception.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(violation => violation.Field);
        Assert.Equal(["parent", "display_name", "level", "page_size"], fields);
    }

    [Fact]
    public async Task Valid_request_gets_normalised_values()
    {
        var thing = await client.CreateThingAsync(new CreateThingRequest
        {
            Parent = "committees/gia-lai",
            DisplayName = " Gia La\u0300i ",
            Level = ThingLevel.Province,
            PageSize = 5000,
        });

        Assert.Equal("Gia L\u00e0i", thing.DisplayName);
        Assert.Equal(100, thing.PageSize);
    }

    [Fact]
    public async Task A_method_without_its_own_policy_still_needs_a_token()
    {
        using var anonymous = host.CreateChannel(bearerToken: null);

        var exception = await Assert.ThrowsAsync<RpcException>(
            () => new ProbeService.ProbeServiceClient(anonymous).FailAsync(new FailRequest { Failure = "none" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
    }

    private async Task<Google.Rpc.Status> FailAsync(string failure)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => client.FailAsync(new FailRequest { Failure = failure }).ResponseAsync);
        var status = exception.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)exception.StatusCode, status.Code);
        return status;
    }

    private static ErrorInfo ErrorInfo(Google.Rpc.Status status) => status.GetDetail<ErrorInfo>();
}
