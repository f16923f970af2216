using System.Net;
using System.Text;
using Egov.Steering.Audit.V1;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.ServiceDefaults.Web;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Egov.Steering.AllInOne.Tests.Web;

/// <summary>
/// Every public RPC over JSON/HTTP answers as over gRPC: driven by the services' descriptors, so a new RPC without a
/// google.api.http rule fails here, and every mapped one is called both ways with the same request.
/// </summary>
[Collection(WebSandboxCollection.Name)]
public sealed class TranscodingTests(WebSandboxFixture sandbox)
{
    /// <summary>Methods only other services call; never routed by the chart's Ingress (publicApi), never over HTTP.</summary>
    private static readonly HashSet<string> InternalMethods = [$"{MembershipService.Descriptor.FullName}.PreviewChanges"];

    private static readonly ServiceDescriptor[] PublicServices =
    [
        MembershipService.Descriptor, DecisionsService.Descriptor, NotificationsService.Descriptor, AuditService.Descriptor,
    ];

    private HttpRuleClient Client => new(sandbox.Http, sandbox.Channel.CreateCallInvoker());

    public static TheoryData<string> UnaryMethods() =>
        [.. PublicMethods().Where(m => !m.IsServerStreaming && !m.IsClientStreaming).Select(m => m.FullName)];

    [Fact]
    public void Every_public_rpc_has_an_http_rule_and_no_internal_one_has()
    {
        var all = PublicServices.SelectMany(s => s.Methods).ToList();
        Assert.All(all.Where(m => !InternalMethods.Contains(m.FullName)), m => Assert.NotNull(m.GetOptions()?.GetExtension(AnnotationsExtensions.Http)));
        Assert.All(all.Where(m => InternalMethods.Contains(m.FullName)), m => Assert.Null(m.GetOptions()?.GetExtension(AnnotationsExtensions.Http)));
    }

    /// <summary>
    /// The same request both ways (path variables naming a resource that does not exist, the body field empty, the
    /// write's request_id set): the same response, or the same error (code, message, details) with its HTTP status.
    /// </summary>
    [Theory]
    [MemberData(nameof(UnaryMethods))]
    public async Task The_same_request_gets_the_same_answer_over_json_as_over_grpc(string methodName)
    {
        var method = PublicMethods().Single(m => m.FullName == methodName);
        var request = SampleRequest(method);

        var overGrpc = await Client.GrpcAsync(method, request, WebSandboxFixture.AdminToken);
        var overHttp = await Client.HttpAsync(method, request, WebSandboxFixture.AdminToken);

        Assert.Equal(overGrpc.Response, overHttp.Response);
        Assert.Equal(overGrpc.Error, overHttp.Error);
    }

    [Fact]
    public async Task A_read_with_a_date_and_repeated_filters_in_the_query_gets_the_grpc_answer()
    {
        var asOf2020 = new Google.Type.Date { Year = 2020, Month = 12, Day = 31 };
        var list = new ListCommitteesRequest { AsOf = asOf2020, Levels = { Egov.Steering.Types.V1.CommitteeLevel.Province, Egov.Steering.Types.V1.CommitteeLevel.Ministry }, PageSize = 100 };
        var method = MembershipService.Descriptor.FindMethodByName("ListCommittees");
        var overGrpc = await Client.GrpcAsync(method, list, WebSandboxFixture.AdminToken);
        var overHttp = await Client.HttpAsync(method, list, WebSandboxFixture.AdminToken);
        var committees = ((ListCommitteesResponse)overHttp.Response!).Committees;
        Assert.NotEmpty(committees);
        Assert.Equal(overGrpc.Response, overHttp.Response);

        var view = MembershipService.Descriptor.FindMethodByName("GetCommitteeView");
        var viewRequest = new GetCommitteeViewRequest { Committee = committees[0].Name, AsOf = asOf2020 };
        var viewOverHttp = await Client.HttpAsync(view, viewRequest, WebSandboxFixture.AdminToken);
        Assert.IsType<CommitteeView>(viewOverHttp.Response);
        Assert.Equal((await Client.GrpcAsync(view, viewRequest, WebSandboxFixture.AdminToken)).Response, viewOverHttp.Response);
    }

    [Fact]
    public async Task A_write_retried_with_its_request_id_over_json_returns_the_first_answer_and_a_stale_etag_is_409_aborted()
    {
        var create = MembershipService.Descriptor.FindMethodByName("CreatePerson");
        var request = new CreatePersonRequest { Person = new Person { DisplayName = "Nguyễn Văn Thử" }, RequestId = Guid.NewGuid().ToString() };
        var first = await Client.HttpAsync(create, request, WebSandboxFixture.AdminToken);
        var person = first.Response as Person ?? throw new Xunit.Sdk.XunitException($"CreatePerson over HTTP: {first.Error}");
        Assert.Equal(first.Response, (await Client.HttpAsync(create, request, WebSandboxFixture.AdminToken)).Response);
        Assert.Equal(first.Response, (await Client.GrpcAsync(create, request, WebSandboxFixture.AdminToken)).Response);

        var update = MembershipService.Descriptor.FindMethodByName("UpdatePerson");
        var rename = new UpdatePersonRequest
        {
            Person = new Person { Name = person.Name, Etag = person.Etag, DisplayName = "Nguyễn Văn Thử Hai" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "display_name" } },
            RequestId = Guid.NewGuid().ToString(),
        };
        var renaming = await Client.HttpAsync(update, rename, WebSandboxFixture.AdminToken);
        var renamed = renaming.Response as Person ?? throw new Xunit.Sdk.XunitException($"UpdatePerson over HTTP: {renaming.Error}");
        Assert.Equal("Nguyễn Văn Thử Hai", renamed.DisplayName);

        // The first etag again, under a new request_id: the person changed since.
        rename.RequestId = Guid.NewGuid().ToString();
        var stale = await Client.HttpAsync(update, rename, WebSandboxFixture.AdminToken);
        Assert.Equal(StatusCode.Aborted, (StatusCode)stale.Error!.Code);
        Assert.Equal(409, stale.HttpStatus);
        rename.RequestId = Guid.NewGuid().ToString();
        Assert.Equal(stale.Error, (await Client.GrpcAsync(update, rename, WebSandboxFixture.AdminToken)).Error);
    }

    [Fact]
    public async Task Without_a_token_a_call_is_401_and_without_the_right_403_each_with_its_status_and_reason()
    {
        var get = MembershipService.Descriptor.FindMethodByName("GetNationalOverview");
        var anonymous = await Client.HttpAsync(get, new GetNationalOverviewRequest(), token: null);
        Assert.Equal((401, StatusCode.Unauthenticated), (anonymous.HttpStatus, (StatusCode)anonymous.Error!.Code));
        Assert.Equal(anonymous.Error, (await Client.GrpcAsync(get, new GetNationalOverviewRequest(), token: null)).Error);

        var create = MembershipService.Descriptor.FindMethodByName("CreatePerson");
        var write = new CreatePersonRequest { Person = new Person { DisplayName = "Trần Thị Đọc" }, RequestId = Guid.NewGuid().ToString() };
        var refused = await Client.HttpAsync(create, write, WebSandboxFixture.ReaderToken);
        Assert.Equal((403, StatusCode.PermissionDenied), (refused.HttpStatus, (StatusCode)refused.Error!.Code));
        Assert.Equal(refused.Error, (await Client.GrpcAsync(create, write, WebSandboxFixture.ReaderToken)).Error);
    }

    [Fact]
    public async Task A_json_body_over_the_grpc_message_limit_is_refused_before_it_is_read()
    {
        var huge = "{\"displayName\":\"" + new string('a', RequestLimits.MaxMessageBytes + 1) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/people") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", WebSandboxFixture.AdminToken);
        using var response = await sandbox.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{response.StatusCode}: {body}");
        Assert.Contains("\"code\":8", body.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cors_answers_a_preflight_of_the_configured_origin_only()
    {
        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "v1/nationalOverview");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
            return await sandbox.Http.SendAsync(preflight);
        }

        using var allowed = await PreflightAsync(WebSandboxFixture.AllowedOrigin);
        Assert.Equal(WebSandboxFixture.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var other = await PreflightAsync("https://elsewhere.example");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static IEnumerable<MethodDescriptor> PublicMethods() =>
        PublicServices.SelectMany(s => s.Methods).Where(m => !InternalMethods.Contains(m.FullName));

    // Path variables name a resource that does not exist; the body field is an empty message (as "{}" binds);
    // a write carries a request_id.
    private static IMessage SampleRequest(MethodDescriptor method)
    {
        var request = (IMessage)Activator.CreateInstance(method.InputType.ClrType)!;
        var rule = HttpRuleClient.RuleOf(method);
        if (rule.Body is { Length: > 0 } body && body != "*")
        {
            var field = method.InputType.FindFieldByName(body);
            field.Accessor.SetValue(request, Activator.CreateInstance(field.MessageType.ClrType));
        }

        var (_, template) = HttpRuleClient.VerbAndTemplate(rule);
        foreach (System.Text.RegularExpressions.Match variable in System.Text.RegularExpressions.Regex.Matches(template, @"\{([a-z0-9_.]+)=([^}]*)\}"))
        {
            var path = variable.Groups[1].Value.Split('.');
            var target = request;
            foreach (var name in path[..^1])
            {
                var field = target.Descriptor.FindFieldByName(name);
                if (field.Accessor.GetValue(target) is not IMessage nested)
                {
                    nested = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                    field.Accessor.SetValue(target, nested);
                }

                target = nested;
            }

            target.Descriptor.FindFieldByName(path[^1]).Accessor.SetValue(target, variable.Groups[2].Value.Replace("*", "zz-missing", StringComparison.Ordinal));
        }

        if (method.InputType.FindFieldByName("request_id") is { } requestId)
        {
            requestId.Accessor.SetValue(request, Guid.NewGuid().ToString());
        }

        return request;
    }
}
