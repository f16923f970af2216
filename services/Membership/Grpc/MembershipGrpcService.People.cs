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
    private static readonly string[] PersonFields = ["display_name", "other_names", "contact"];

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Person> CreatePerson(V1.CreatePersonRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.Required("person", request.Person);
        var input = request.Person ?? new V1.Person();
        var name = validator.Text("person.display_name", input.DisplayName, TextLimits.PersonName);
        var otherNames = validator.Texts("person.other_names", input.OtherNames, TextLimits.PersonName);
        var (email, phone) = ValidatePersonContact(validator, input.Contact);
        validator.ThrowIfInvalid();

        return await WriteAsync(request, request.RequestId, context, p => p.Name, async cancellationToken =>
            (await useCases.People.CreateAsync(new(name, otherNames, email, phone), cancellationToken)).ToProto(withContact: true));
    }

    public override async Task<V1.Person> GetPerson(V1.GetPersonRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("name", request.Name, ResourceNames.Person);
        validator.ThrowIfInvalid();

        var seen = await useCases.People.GetAsync(id!, context.CancellationToken);
        return seen.Person.ToProto(seen.WithContact);
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.Person> UpdatePerson(V1.UpdatePersonRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var (input, id, paths) = validator.UpdateTarget("person", request.Person, p => p.Name, ResourceNames.Person, request.UpdateMask, PersonFields);
        var name = paths.Contains("display_name") ? validator.Text("person.display_name", input.DisplayName, TextLimits.PersonName) : "";
        var otherNames = validator.Texts("person.other_names", input.OtherNames, TextLimits.PersonName);
        var (email, phone) = ValidatePersonContact(validator, input.Contact);
        validator.ThrowIfInvalid();

        var update = new Update<PersonFields>(input.Etag, paths, new(name, otherNames, email, phone));
        return await WriteAsync(request, request.RequestId, context, input.Name, async cancellationToken =>
            (await useCases.People.UpdateAsync(id!, update, cancellationToken)).ToProto(withContact: true));
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

        var found = await useCases.People.SearchAsync(words, Requests.KeysetPage(request, request.PageToken, pageSize), context.CancellationToken);
        var response = new V1.SearchPeopleResponse { NextPageToken = Requests.NextPageToken(request, found.NextKey) };
        response.People.Add(found.Items.Select(p => p.Person.ToProto(p.WithContact)));
        return response;
    }

    private static (string? Email, string? Phone) ValidatePersonContact(RequestValidator validator, V1.PersonContact? contact) =>
        contact is null
            ? (null, null)
            : (NullIfEmpty(Email(validator, "person.contact.email", contact.Email)),
                NullIfEmpty(validator.Text("person.contact.phone", contact.Phone, 50, required: false)));
}
