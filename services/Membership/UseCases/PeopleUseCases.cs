using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.UseCases;

/// <summary>A person as the caller may see them: contact details only for admins and the organisations the person serves.</summary>
public sealed record PersonSeen(Person Person, bool WithContact);

/// <summary>A person's fields as a create or an update sets them.</summary>
public sealed record PersonFields(string DisplayName, IReadOnlyList<string> OtherNames, string? Email, string? Phone);

public sealed class PeopleUseCases(MembershipDbContext db, Caller caller)
{
    /// <summary>Any organisation with write scope may create a person: people are shared records.</summary>
    public async Task<Person> CreateAsync(PersonFields fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        // Opaque ids: a name is neither unique nor stable, and must not leak through resource names.
        var person = new Person(Guid.CreateVersion7().ToString("N"), fields.DisplayName)
        {
            OtherNames = [.. fields.OtherNames],
            Email = fields.Email,
            Phone = fields.Phone,
        };
        db.People.Add(person);
        await db.SaveChangesAsync(cancellationToken);
        return person;
    }

    public async Task<PersonSeen> GetAsync(string id, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new ResourceNotFoundException(ResourceNames.Person.Format(id));
        var served = await ServedOrganisationsAsync([person.Id], cancellationToken);
        return new(person, MaySeeContact(served, person.Id));
    }

    /// <summary>Allowed to admins and to the organisations the person serves (whose committees the person sits on).</summary>
    public async Task<Person> UpdateAsync(string id, Update<PersonFields> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var found = await db.People.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        var served = found is null ? null : await ServedOrganisationsAsync([found.Id], cancellationToken);
        var person = update.Open(found, ResourceNames.Person.Format(id), p => p.Version, p =>
        {
            if (!MaySeeContact(served!, p.Id))
            {
                throw new PermissionDeniedException(
                    "NOT_SERVED_ORGANISATION",
                    $"organisation '{caller.Organisation}' may not change {p.ResourceName}: the person sits on none of its committees");
            }
        });
        update.Set("display_name", values => person.DisplayName = values.DisplayName);
        update.Set("other_names", values => person.OtherNames = [.. values.OtherNames]);
        update.Set("contact", values => (person.Email, person.Phone) = (values.Email, values.Phone));
        person.Touch();
        await db.SaveChangesAsync(cancellationToken);
        return person;
    }

    /// <summary>The people whose names (or other names) hold every search word, in name order.</summary>
    public async Task<Page<PersonSeen>> SearchAsync(IReadOnlyList<string> searchWords, KeysetPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(searchWords);
        var query = db.People.AsNoTracking();
        foreach (var word in searchWords)
        {
            query = query.Where(p => EF.Property<string>(p, MembershipDbContext.SearchText).Contains(word));
        }

        var found = await query.PageByNameAsync(db, page, cancellationToken);
        var served = await ServedOrganisationsAsync([.. found.Items.Select(p => p.Id)], cancellationToken);
        return new([.. found.Items.Select(p => new PersonSeen(p, MaySeeContact(served, p.Id)))], found.NextKey);
    }

    private bool MaySeeContact(ILookup<string, string> served, string personId) =>
        caller.IsAdmin || served[personId].Contains(caller.Organisation, StringComparer.Ordinal);

    /// <summary>
    /// For each person, the jurisdictions of the committees the person sits on or sat on, named or ex officio (a
    /// membership by a post during the person's term in it).
    /// </summary>
    private async Task<ILookup<string, string>> ServedOrganisationsAsync(IReadOnlyCollection<string> personIds, CancellationToken cancellationToken)
    {
        var posts = await db.PostAggregates.AsNoTracking()
            .Where(p => p.Holders.Any(h => h.PersonId != null && personIds.Contains(h.PersonId)))
            .ToListAsync(cancellationToken);
        var postIds = posts.Select(p => p.Id).ToList();
        var memberships = await db.Set<CommitteeMembership>().AsNoTracking()
            .Where(m => (m.PersonId != null && personIds.Contains(m.PersonId)) || (m.PostId != null && postIds.Contains(m.PostId)))
            .ToListAsync(cancellationToken);
        var committeeIds = memberships.Select(m => m.CommitteeId).Distinct().ToList();
        var jurisdictionOf = await db.Committees.Where(c => committeeIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Jurisdiction, cancellationToken);
        var terms = posts.SelectMany(p => p.Holders.Where(h => h.PersonId != null).Select(h => (PostId: p.Id, Term: h))).ToList();
        return memberships
            .SelectMany(m => m.PersonId is { } person
                ? [(Person: person, Jurisdiction: jurisdictionOf[m.CommitteeId])]
                : terms.Where(t => t.PostId == m.PostId && t.Term.Overlaps(m))
                    .Select(t => (Person: t.Term.PersonId!, Jurisdiction: jurisdictionOf[m.CommitteeId])))
            .Where(entry => personIds.Contains(entry.Person))
            .ToLookup(entry => entry.Person, entry => entry.Jurisdiction, StringComparer.Ordinal);
    }
}
