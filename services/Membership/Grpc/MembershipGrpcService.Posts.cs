using System.Globalization;
using System.Text.RegularExpressions;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
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

        var query = db.PostAggregates.AsNoTracking();
        if (organisation.Length > 0)
        {
            query = query.Where(p => p.Organisation == organisation);
        }

        if (kinds.Count > 0)
        {
            query = query.Where(p => kinds.Contains(p.Kind));
        }

        foreach (var word in words)
        {
            query = query.Where(p => EF.Property<string>(p, MembershipDbContext.SearchText).Contains(word));
        }

        var (page, next) = await query.PageByNameAsync(db, request, request.PageToken, pageSize, context.CancellationToken);
        var holders = await PeopleAsync(page.Select(p => p.HolderOn(date)), context.CancellationToken);

        var response = new V1.ListPostsResponse { NextPageToken = next };
        response.Posts.Add(page.Select(p => p.ToProto(date, holders.GetValueOrDefault)));
        return response;
    }

    public override async Task<V1.Post> GetPost(V1.GetPostRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("name", request.Name, ResourceNames.Post);
        var date = validator.AsOf(request.AsOf, Today);
        validator.ThrowIfInvalid();

        var post = await FindPostAsync(id!, context.CancellationToken);
        var holders = await PeopleAsync([post.HolderOn(date)], context.CancellationToken);
        return post.ToProto(date, holders.GetValueOrDefault);
    }

    /// <summary>Writable by the post's organisation or an admin.</summary>
    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Post> CreatePost(V1.CreatePostRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var requestedId = validator.NewId("post_id", request.PostId);
        validator.Required("post", request.Post);
        var input = request.Post ?? new V1.Post();
        var name = validator.Text("post.display_name", input.DisplayName, Requests.MaxNameLength);
        var kind = (PostKind)(int)validator.Enum("post.kind", input.Kind);
        var sector = Sector(validator, input.Sector);
        var organisationName = validator.Text("post.organisation_display_name", input.OrganisationDisplayName, Requests.MaxNameLength);
        var organisation = validator.OrganisationCode("post.organisation", input.Organisation);
        validator.ThrowIfInvalid();
        caller.EnsureCanWrite(organisation);

        return await writes.ExecuteAsync(db, request.RequestId, context.Method, p => p.Name, request, async cancellationToken =>
        {
            var id = requestedId ?? Guid.CreateVersion7().ToString("N");
            if (await db.Posts.AnyAsync(p => p.Id == id, cancellationToken))
            {
                throw new ResourceAlreadyExistsException(ResourceNames.Post.Format(id));
            }

            var post = new Post(id, name, kind, sector, organisationName, organisation);
            db.Posts.Add(post);
            await SaveCreatedAsync(post.ResourceName, token => db.Posts.AnyAsync(p => p.Id == id, token), cancellationToken);
            return post.ToProto(Today, _ => null);
        }, context.CancellationToken);
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Post> UpdatePost(V1.UpdatePostRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.Required("post", request.Post);
        var input = request.Post ?? new V1.Post();
        var id = validator.Id("post.name", input.Name, ResourceNames.Post);
        var paths = validator.Mask(request.UpdateMask, PostFields);
        var name = paths.Contains("display_name") ? validator.Text("post.display_name", input.DisplayName, Requests.MaxNameLength) : "";
        var organisationName = paths.Contains("organisation_display_name")
            ? validator.Text("post.organisation_display_name", input.OrganisationDisplayName, Requests.MaxNameLength)
            : "";
        var sector = Sector(validator, input.Sector);
        validator.ThrowIfInvalid();

        return await writes.ExecuteAsync(db, request.RequestId, context.Method, input.Name, request, async cancellationToken =>
        {
            var post = await FindPostAsync(id!, cancellationToken);
            caller.EnsureCanWrite(post.Organisation);
            if (input.Etag.Length > 0 && input.Etag != ProtoMapping.PostEtag(post))
            {
                throw new StaleEtagException(post.ResourceName);
            }

            // The post's version counts its holder events (PostHolderChanged), so a clerical change leaves it alone;
            // the etag still changes with the update time.
            if (paths.Contains("display_name"))
            {
                post.DisplayName = name;
            }

            if (paths.Contains("organisation_display_name"))
            {
                post.OrganisationDisplayName = organisationName;
            }

            if (paths.Contains("sector"))
            {
                post.Sector = sector;
            }

            await db.SaveChangesAsync(cancellationToken);
            var today = Today;
            var holders = await PeopleAsync([post.HolderOn(today)], cancellationToken);
            return post.ToProto(today, holders.GetValueOrDefault);
        }, context.CancellationToken);
    }

    public override async Task<V1.ListPostHoldersResponse> ListPostHolders(V1.ListPostHoldersRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("parent", request.Parent, ResourceNames.Post);
        var pageSize = validator.PageSize(request.PageSize);
        validator.ThrowIfInvalid();

        var post = await FindPostAsync(id!, context.CancellationToken);
        var (page, next) = Requests.Page(
            post.Holders, h => [h.Number.ToString("D10", CultureInfo.InvariantCulture)], request, request.PageToken, pageSize);
        var people = await PeopleAsync(page.Select(h => h.PersonId), context.CancellationToken);

        var response = new V1.ListPostHoldersResponse { NextPageToken = next };
        response.PostHolders.Add(page.Select(h => h.ToProto(post, people.GetValueOrDefault)));
        return response;
    }

    private async Task<Post> FindPostAsync(string id, CancellationToken cancellationToken) =>
        await db.PostAggregates.SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new ResourceNotFoundException(ResourceNames.Post.Format(id));

    private async Task<Dictionary<string, Person>> PeopleAsync(IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<string>().Distinct().ToList();
        return wanted.Count == 0 ? [] : await db.People.AsNoTracking().Where(p => wanted.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
    }

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
