using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.UseCases;

/// <summary>A post as of a date, with the people it names then (its holder).</summary>
public sealed record PostOnDate(Post Post, DateOnly Date, IReadOnlyDictionary<string, Person> People);

/// <summary>A page of posts with the people holding them on the date.</summary>
public sealed record PostsOnDate(Page<Post> Posts, IReadOnlyDictionary<string, Person> People);

/// <summary>ListPosts' filters, which AND together; empty ones select everything.</summary>
public sealed record PostFilter(string? Organisation, IReadOnlyCollection<PostKind> Kinds, IReadOnlyList<string> SearchWords);

public sealed record NewPost(string DisplayName, PostKind Kind, string? Sector, string OrganisationDisplayName, string Organisation);

/// <summary>What an update may change of a post: its names and its sector.</summary>
public sealed record PostClericalFields(string DisplayName, string OrganisationDisplayName, string? Sector);

/// <summary>Posts are writable by their organisation or an admin; their holders change only through decisions.</summary>
public sealed class PostUseCases(MembershipDbContext db, RegisterAccess access, Caller caller, MembershipClock clock)
{
    public async Task<PostsOnDate> ListAsync(PostFilter filter, DateOnly date, KeysetPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.PostAggregates.AsNoTracking();
        if (filter.Organisation is { } organisation)
        {
            query = query.Where(p => p.Organisation == organisation);
        }

        if (filter.Kinds.Count > 0)
        {
            query = query.Where(p => filter.Kinds.Contains(p.Kind));
        }

        foreach (var word in filter.SearchWords)
        {
            query = query.Where(p => EF.Property<string>(p, MembershipDbContext.SearchText).Contains(word));
        }

        var posts = await query.PageByNameAsync(db, page, cancellationToken);
        return new(posts, await access.PeopleAsync(posts.Items.Select(p => p.HolderOn(date)), cancellationToken));
    }

    public async Task<PostOnDate> GetAsync(string id, DateOnly date, CancellationToken cancellationToken)
    {
        var post = await FindAsync(id, cancellationToken) ?? throw new ResourceNotFoundException(ResourceNames.Post.Format(id));
        return new(post, date, await access.PeopleAsync([post.HolderOn(date)], cancellationToken));
    }

    /// <summary>The post with every person who held it.</summary>
    public async Task<PostOnDate> GetWithHoldersAsync(string id, CancellationToken cancellationToken)
    {
        var post = await FindAsync(id, cancellationToken) ?? throw new ResourceNotFoundException(ResourceNames.Post.Format(id));
        return new(post, clock.Today, await access.PeopleAsync(post.Holders.Select(h => h.PersonId), cancellationToken));
    }

    /// <summary>Creates a vacant post under the chosen id, or an opaque one.</summary>
    public async Task<PostOnDate> CreateAsync(string? requestedId, NewPost fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        caller.EnsureCanWrite(fields.Organisation);
        var id = requestedId ?? Guid.CreateVersion7().ToString("N");
        if (await db.Posts.AnyAsync(p => p.Id == id, cancellationToken))
        {
            throw new ResourceAlreadyExistsException(ResourceNames.Post.Format(id));
        }

        var post = new Post(id, fields.DisplayName, fields.Kind, fields.Sector, fields.OrganisationDisplayName, fields.Organisation);
        db.Posts.Add(post);
        await access.SaveCreatedAsync(post.ResourceName, token => db.Posts.AnyAsync(p => p.Id == id, token), cancellationToken);
        return new(post, clock.Today, new Dictionary<string, Person>());
    }

    public async Task<PostOnDate> UpdateAsync(string id, Update<PostClericalFields> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var post = update.Open(
            await FindAsync(id, cancellationToken), ResourceNames.Post.Format(id), p => p.Revision, p => caller.EnsureCanWrite(p.Organisation));
        update.Set("display_name", values => post.DisplayName = values.DisplayName);
        update.Set("organisation_display_name", values => post.OrganisationDisplayName = values.OrganisationDisplayName);
        update.Set("sector", values => post.Sector = values.Sector);
        await db.SaveChangesAsync(cancellationToken);
        var today = clock.Today;
        return new(post, today, await access.PeopleAsync([post.HolderOn(today)], cancellationToken));
    }

    private Task<Post?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.PostAggregates.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
}
