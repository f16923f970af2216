using System.Globalization;
using System.Text.RegularExpressions;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

public sealed partial class MembershipGrpcService
{
    private static readonly string[] PostFields = ["display_name", "organisation_display_name", "sector"];

    public override async Task<V1.ListPostsResponse> ListPosts(V1.ListPostsRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var pageSize = validator.PageSize(request.PageSize);
        var organisation = validator.OrganisationCode("organisation", request.Organisation, required: false);
        var kinds = validator.Enums<V1.PostKind, PostKind>("kinds", request.Kinds);
        var words = Requests.SearchWords(validator.Text("query", request.Query, Requests.MaxQueryLength, required: false));
        var date = validator.AsOf(request.AsOf, Today);
        validator.ThrowIfInvalid();

        var filter = new PostFilter(organisation.Length == 0 ? null : organisation, kinds, words);
        var found = await useCases.Posts.ListAsync(filter, date, Requests.KeysetPage(request, request.PageToken, pageSize), context.CancellationToken);
        var response = new V1.ListPostsResponse { NextPageToken = Requests.NextPageToken(request, found.Posts.NextKey) };
        response.Posts.Add(found.Posts.Items.Select(p => p.ToProto(date, found.People.GetValueOrDefault)));
        return response;
    }

    public override async Task<V1.Post> GetPost(V1.GetPostRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("name", request.Name, ResourceNames.Post);
        var date = validator.AsOf(request.AsOf, Today);
        validator.ThrowIfInvalid();

        return ToProto(await useCases.Posts.GetAsync(id!, date, context.CancellationToken));
    }

    /// <summary>Writable by the post's organisation or an admin.</summary>
    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Post> CreatePost(V1.CreatePostRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var requestedId = validator.NewId("post_id", request.PostId);
        validator.Required("post", request.Post);
        var input = request.Post ?? new V1.Post();
        var name = validator.Text("post.display_name", input.DisplayName, TextLimits.Name);
        var kind = (PostKind)(int)validator.Enum("post.kind", input.Kind);
        var sector = Sector(validator, input.Sector);
        var organisationName = validator.Text("post.organisation_display_name", input.OrganisationDisplayName, TextLimits.Name);
        var organisation = validator.OrganisationCode("post.organisation", input.Organisation);
        validator.ThrowIfInvalid();

        var post = new NewPost(name, kind, sector, organisationName, organisation);
        return await WriteAsync(request, request.RequestId, context, p => p.Name, async cancellationToken =>
            ToProto(await useCases.Posts.CreateAsync(requestedId, post, cancellationToken)));
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Post> UpdatePost(V1.UpdatePostRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var (input, id, paths) = validator.UpdateTarget("post", request.Post, p => p.Name, ResourceNames.Post, request.UpdateMask, PostFields);
        var name = paths.Contains("display_name") ? validator.Text("post.display_name", input.DisplayName, TextLimits.Name) : "";
        var organisationName = paths.Contains("organisation_display_name")
            ? validator.Text("post.organisation_display_name", input.OrganisationDisplayName, TextLimits.Name)
            : "";
        var sector = Sector(validator, input.Sector);
        validator.ThrowIfInvalid();

        var update = new Update<PostClericalFields>(input.Etag, paths, new(name, organisationName, sector));
        return await WriteAsync(request, request.RequestId, context, input.Name, async cancellationToken =>
            ToProto(await useCases.Posts.UpdateAsync(id!, update, cancellationToken)));
    }

    public override async Task<V1.ListPostHoldersResponse> ListPostHolders(V1.ListPostHoldersRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("parent", request.Parent, ResourceNames.Post);
        var pageSize = validator.PageSize(request.PageSize);
        validator.ThrowIfInvalid();

        var found = await useCases.Posts.GetWithHoldersAsync(id!, context.CancellationToken);
        var (page, next) = Requests.Page(
            found.Post.Holders, h => [h.Number.ToString("D10", CultureInfo.InvariantCulture)], request, request.PageToken, pageSize);

        var response = new V1.ListPostHoldersResponse { NextPageToken = next };
        response.PostHolders.Add(page.Select(h => h.ToProto(found.Post, found.People.GetValueOrDefault)));
        return response;
    }

    private static V1.Post ToProto(PostOnDate post) => post.Post.ToProto(post.Date, post.People.GetValueOrDefault);

    private static string? Sector(RequestValidator validator, string sector)
    {
        if (sector.Length == 0)
        {
            return null;
        }

        if (!SectorPattern().IsMatch(sector))
        {
            validator.Add("post.sector", "must be lowercase ASCII words joined by '-', e.g. xay-dung");
        }

        return sector;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SectorPattern();
}
