using Egov.Steering.Access;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Membership.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.Types.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests.Authorization;

/// <summary>
/// The own/other-organisation cells: every write method of the descriptors called with a valid request on a real
/// resource of Gia Lai (its committee, membership, post, chair, decisions and webhook subscriptions), by Gia Lai,
/// another province, the national organisation with and without the admin scope.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    private const string OtherProvince = "province-2025-52";

    // Who calls, and whether the services' rule (Caller.CanWrite: the owner with the write scope, or the national
    // admin) lets it write Gia Lai's data.
    private static readonly (string Column, string Organisation, string[] Scopes, bool MayWriteGiaLai)[] OrganisationColumns =
    [
        ("own organisation", Province, [SteeringScopes.Write], true),
        ("another province", OtherProvince, [SteeringScopes.Write], false),
        ("national without admin scope", Organisations.National, [SteeringScopes.Write], false),
        ("national admin", Organisations.National, [SteeringScopes.Admin], true),
    ];

    [Fact]
    public async Task Every_write_rpc_on_an_organisations_resource_is_allowed_to_its_owner_and_the_national_admin_and_refused_and_audited_for_others()
    {
        var table = await OwnershipTableAsync(new GiaLai(shared.System));
        var writes = shared.Targets.Where(target => target.Policy == SteeringPolicies.Write).ToList();

        // A new write RPC has no row until someone states what it acts on: the test fails until then.
        var missing = writes.Select(target => target.Method.FullName).Where(name => !table.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, $"write RPCs without a row in the ownership table:\n{string.Join('\n', missing)}");
        var stale = table.Keys.Except(writes.Select(target => target.Method.FullName)).ToList();
        Assert.True(stale.Count == 0, $"rows of the ownership table that are no write RPC:\n{string.Join('\n', stale)}");
        Assert.All(table.Values, row => Assert.True(row.RefusalReason is not null || row.Why is not null, "a row that refuses no one says why"));

        var since = DateTime.UtcNow;
        using var parallel = new SemaphoreSlim(4);
        var cells = await Task.WhenAll(
            from target in writes
            from column in OrganisationColumns
            select CallWithOwnedResourceAsync(target, column.Organisation, column.Scopes, table[target.Method.FullName], parallel));

        var wrong = new List<string>();
        foreach (var (cell, column) in cells.Select((cell, index) => (cell, OrganisationColumns[index % OrganisationColumns.Length])))
        {
            var row = table[cell.Target.Method.FullName];
            var refused = row.RefusalReason is not null && !column.MayWriteGiaLai;
            var right = refused
                ? cell.Code == StatusCode.PermissionDenied && cell.Reason == row.RefusalReason
                : cell.Code is not (StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.InvalidArgument);
            if (!right)
            {
                wrong.Add($"{cell.Target.Path} by {column.Column}: {cell.Code} {cell.Reason}, expected {(refused ? $"PermissionDenied {row.RefusalReason}" : "allowed")}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        await AssertRefusalsAuditedAsync([.. cells], since, "own/other organisation");
    }

    private static async Task<Cell> CallWithOwnedResourceAsync(
        Target target, string organisation, string[] scopes, OwnershipRow row, SemaphoreSlim parallel)
    {
        await parallel.WaitAsync();
        try
        {
            // Each call gets its own resource (made by Gia Lai), so no cell depends on another's outcome.
            var request = await row.Request();
            var token = Token(claims =>
            {
                claims["org"] = organisation;
                claims["scope"] = string.Join(' ', scopes);
            });
            return await CallAsync(target, token, request);
        }
        finally
        {
            parallel.Release();
        }
    }

    /// <param name="Request">A valid request on a resource of Gia Lai, made afresh for each call.</param>
    /// <param name="RefusalReason">
    /// The PERMISSION_DENIED reason a caller that may not write Gia Lai's data gets; null when the method acts only on
    /// the caller's own (or shared) data, so that no organisation is refused.
    /// </param>
    /// <param name="Why">Why the method has no organisation-owned resource (with a null <paramref name="RefusalReason"/>).</param>
    private sealed record OwnershipRow(Func<Task<IMessage>> Request, string? RefusalReason, string? Why = null);

    /// <summary>Every write method by its full name, with a valid request on Gia Lai's data.</summary>
    private async Task<Dictionary<string, OwnershipRow>> OwnershipTableAsync(GiaLai giaLai)
    {
        var membership = shared.System.MembershipClient(Province);
        var notifications = shared.System.NotificationsClient(Province);
        var chair = await giaLai.PersonAsync("Võ Ngọc Thành");
        await giaLai.ApplyAsync(Founding(chair));
        var chairMembership = (await membership.ListMembershipsAsync(new ListMembershipsRequest { Parent = GiaLai.Committee })).Memberships.Single();
        var numbers = 0;
        string Number() => $"{Interlocked.Increment(ref numbers)}/QĐ-MATRIX";

        // Each decision appoints a new member, so that it can be issued.
        async Task<Decision> AppointmentAsync() =>
            Draft(Number(), Day(2020, 1, 1), DecisionKind.Amend, Appoint(await giaLai.PersonAsync("Trần Thị Bình"), MembershipRole.Member));
        async Task<Decision> DraftAsync() => await giaLai.CreateAsync(await AppointmentAsync());
        async Task<Post> PostAsync() => await membership.CreatePostAsync(new CreatePostRequest { Post = NewPost() });
        async Task<WebhookSubscription> SubscriptionAsync() => await notifications.CreateWebhookSubscriptionAsync(
            new CreateWebhookSubscriptionRequest { WebhookSubscription = new WebhookSubscription { Uri = "https://dashboard.gialai.gov.vn/hook" } });

        const string OtherOrganisation = "OTHER_ORGANISATION";
        var membershipService = MembershipService.Descriptor.FullName;
        var decisionsService = DecisionsService.Descriptor.FullName;
        var notificationsService = NotificationsService.Descriptor.FullName;
        return new Dictionary<string, OwnershipRow>(StringComparer.Ordinal)
        {
            [$"{membershipService}.CreateCommittee"] = new(
                () => Task.FromResult<IMessage>(new CreateCommitteeRequest
                {
                    CommitteeId = "matrix-" + Guid.NewGuid().ToString("N")[..12],
                    Committee = new Membership.V1.Committee
                    {
                        DisplayName = "Tổ công tác chuyển đổi số tỉnh Gia Lai",
                        Level = CommitteeLevel.Province,
                        Jurisdiction = Province,
                        MandateTopics = { MandateTopic.EGovernment },
                    },
                }),
                OtherOrganisation),
            [$"{membershipService}.UpdateCommittee"] = new(
                () => Task.FromResult<IMessage>(new UpdateCommitteeRequest
                {
                    Committee = new Membership.V1.Committee { Name = GiaLai.Committee, Description = "Ban Chỉ đạo của tỉnh Gia Lai" },
                    UpdateMask = new FieldMask { Paths = { "description" } },
                }),
                OtherOrganisation),
            [$"{membershipService}.CorrectMembership"] = new(
                () => Task.FromResult<IMessage>(new CorrectMembershipRequest
                {
                    Membership = new CommitteeMembership { Name = chairMembership.Name, Roles = { MembershipRole.Chair } },
                    UpdateMask = new FieldMask { Paths = { "roles" } },
                    Reason = "Sửa lỗi nhập liệu",
                }),
                OtherOrganisation),
            [$"{membershipService}.CreatePerson"] = new(
                () => Task.FromResult<IMessage>(new CreatePersonRequest { Person = new Person { DisplayName = "Nguyễn Văn A" } }),
                RefusalReason: null,
                Why: "people are shared records: any organisation with the write scope may register one"),
            [$"{membershipService}.UpdatePerson"] = new(
                () => Task.FromResult<IMessage>(new UpdatePersonRequest
                {
                    Person = new Person { Name = chair, DisplayName = "Võ Ngọc Thành" },
                    UpdateMask = new FieldMask { Paths = { "display_name" } },
                }),
                "NOT_SERVED_ORGANISATION"), // a person belongs to the organisations whose committees the person sits on
            [$"{membershipService}.CreatePost"] = new(
                () => Task.FromResult<IMessage>(new CreatePostRequest { Post = NewPost() }),
                OtherOrganisation),
            [$"{membershipService}.UpdatePost"] = new(
                async () => new UpdatePostRequest
                {
                    Post = new Post { Name = (await PostAsync()).Name, DisplayName = "Giám đốc Sở Khoa học và Công nghệ" },
                    UpdateMask = new FieldMask { Paths = { "display_name" } },
                },
                OtherOrganisation),
            [$"{decisionsService}.CreateDecision"] = new(
                async () => new CreateDecisionRequest { Decision = await AppointmentAsync() },
                RefusalReason: null,
                Why: "a draft is owned by the organisation that creates it: there is no other organisation's resource yet"),
            [$"{decisionsService}.UpdateDecision"] = new(
                async () => new UpdateDecisionRequest
                {
                    Decision = new Decision { Name = (await DraftAsync()).Name, Title = "Về việc kiện toàn Ban Chỉ đạo" },
                    UpdateMask = new FieldMask { Paths = { "title" } },
                },
                OtherOrganisation),
            [$"{decisionsService}.DeleteDecision"] = new(
                async () => new DeleteDecisionRequest { Name = (await DraftAsync()).Name },
                OtherOrganisation),
            [$"{decisionsService}.IssueDecision"] = new(
                async () => new IssueDecisionRequest { Name = (await DraftAsync()).Name },
                OtherOrganisation),
            [$"{decisionsService}.RevokeDecision"] = new(
                async () =>
                {
                    var issued = await giaLai.IssueAsync(await AppointmentAsync());
                    return new RevokeDecisionRequest { Name = issued.Name, RevokingDecision = Revocation(Number(), Day(2020, 2, 1), issued.Number) };
                },
                OtherOrganisation),
            [$"{notificationsService}.CreateWebhookSubscription"] = new(
                () => Task.FromResult<IMessage>(new CreateWebhookSubscriptionRequest
                {
                    WebhookSubscription = new WebhookSubscription { Uri = "https://dashboard.example.vn/hook" },
                }),
                RefusalReason: null,
                Why: "a subscription is owned by the organisation that creates it: there is no other organisation's resource yet"),
            [$"{notificationsService}.UpdateWebhookSubscription"] = new(
                async () => new UpdateWebhookSubscriptionRequest
                {
                    WebhookSubscription = new WebhookSubscription { Name = (await SubscriptionAsync()).Name },
                    UpdateMask = new FieldMask { Paths = { "paused" } },
                    Paused = true,
                },
                OtherOrganisation),
            [$"{notificationsService}.DeleteWebhookSubscription"] = new(
                async () => new DeleteWebhookSubscriptionRequest { Name = (await SubscriptionAsync()).Name },
                OtherOrganisation),
        };
    }

    private static Post NewPost() => new()
    {
        DisplayName = "Giám đốc Sở Thông tin và Truyền thông",
        Kind = PostKind.DepartmentDirector,
        OrganisationDisplayName = "Sở Thông tin và Truyền thông tỉnh Gia Lai",
        Organisation = Province,
    };
}
