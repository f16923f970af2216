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
    private static readonly string[] PersonFields = ["display_name", "other_names", "contact"];

    /// <summary>Any organisation with write scope may create a person: people are shared records.</summary>
    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Person> CreatePerson(V1.CreatePersonRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.Required("person", request.Person);
        var input = request.Person ?? new V1.Person();
        var name = validator.Text("person.display_name", input.DisplayName, Requests.MaxPersonNameLength);
        var otherNames = validator.Texts("person.other_names", input.OtherNames, Requests.MaxPersonNameLength);
        var (email, phone) = ValidatePersonContact(validator, input.Contact);
        validator.ThrowIfInvalid();

        return await writes.ExecuteAsync(db, request.RequestId, context.Method, p => p.Name, request, async cancellationToken =>
        {
            // Opaque ids: a name is neither unique nor stable, and must not leak through resource names.
            var person = new Person(Guid.CreateVersion7().ToString("N"), name) { OtherNames = otherNames, Email = email, Phone = phone };
            db.People.Add(person);
            await db.SaveChangesAsync(cancellationToken);
            return person.ToProto(withContact: true);
        }, context.CancellationToken);
    }

    public override async Task<V1.Person> GetPerson(V1.GetPersonRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("name", request.Name, ResourceNames.Person);
        validator.ThrowIfInvalid();

        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, context.CancellationToken)
            ?? throw new ResourceNotFoundException(request.Name);
        var served = await ServedOrganisationsAsync([person.Id], context.CancellationToken);
        return person.ToProto(MaySeeContact(served, person.Id));
    }

    /// <summary>Allowed to admins and to the organisations the person serves (whose committees the person sits on).</summary>
    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Person> UpdatePerson(V1.UpdatePersonRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.Required("person", request.Person);
        var input = request.Person ?? new V1.Person();
        var id = validator.Id("person.name", input.Name, ResourceNames.Person);
        var paths = validator.Mask(request.UpdateMask, PersonFields);
        var name = paths.Contains("display_name") ? validator.Text("person.display_name", input.DisplayName, Requests.MaxPersonNameLength) : "";
        var otherNames = validator.Texts("person.other_names", input.OtherNames, Requests.MaxPersonNameLength);
        var (email, phone) = ValidatePersonContact(validator, input.Contact);
        validator.ThrowIfInvalid();

        return await writes.ExecuteAsync(db, request.RequestId, context.Method, input.Name, request, async cancellationToken =>
        {
            var person = await db.People.SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
                ?? throw new ResourceNotFoundException(input.Name);
            var served = await ServedOrganisationsAsync([person.Id], cancellationToken);
            if (!MaySeeContact(served, person.Id))
            {
                throw new PermissionDeniedException(
                    "NOT_SERVED_ORGANISATION",
                    $"organisation '{caller.Organisation}' may not change {person.ResourceName}: the person sits on none of its committees");
            }

            if (input.Etag.Length > 0 && input.Etag != ContractMapper.Etag(person.Version))
            {
                throw new StaleEtagException(person.ResourceName);
            }

            if (paths.Contains("display_name"))
            {
                person.DisplayName = name;
            }

            if (paths.Contains("other_names"))
            {
                person.OtherNames = otherNames;
            }

            if (paths.Contains("contact"))
            {
                (person.Email, person.Phone) = (email, phone);
            }

            person.Touch();
            await db.SaveChangesAsync(cancellationToken);
            return person.ToProto(withContact: true);
        }, context.CancellationToken);
    }

    public override async Task<V1.SearchPeopleResponse> SearchPeople(V1.SearchPeopleRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var words = Requests.SearchWords(validator.Text("query", request.Query, Requests.MaxQueryLength));
        var pageSize = validator.PageSize(request.PageSize);
        if (validator.IsValid && words.Length == 0)
        {
            validator.Add("query", "must contain at least one letter or digit");
        }

        validator.ThrowIfInvalid();

        var query = db.People.AsNoTracking();
        foreach (var word in words)
        {
            query = query.Where(p => EF.Property<string>(p, MembershipDbContext.SearchText).Contains(word));
        }

        var (page, next) = await query.PageByNameAsync(db, request, request.PageToken, pageSize, context.CancellationToken);
        var served = await ServedOrganisationsAsync([.. page.Select(p => p.Id)], context.CancellationToken);

        var response = new V1.SearchPeopleResponse { NextPageToken = next };
        response.People.Add(page.Select(p => p.ToProto(MaySeeContact(served, p.Id))));
        return response;
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

    private static (string? Email, string? Phone) ValidatePersonContact(RequestValidator validator, V1.PersonContact? contact) =>
        contact is null
            ? (null, null)
            : (NullIfEmpty(Email(validator, "person.contact.email", contact.Email)),
                NullIfEmpty(validator.Text("person.contact.phone", contact.Phone, 50, required: false)));
}
