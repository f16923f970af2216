// The national dashboard: the overview and the committee page as of a date, kept live by the event feed.
// Routes (in the fragment, so the one static page serves them all): #/?as_of=yyyy-mm-dd and
// #/committees/{id}?as_of=yyyy-mm-dd; no as_of means today in Vietnam.

import { api, ApiError, forgetToken, loadConfig, saveToken, storedToken, takeTokenFromAddress } from './api.js';
import { Feed } from './feed.js';
import * as text from './text.js';

const $ = (id) => document.getElementById(id);

/** Builds an element; children are nodes or strings (set as text: nothing from the API is ever parsed as HTML). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name.startsWith('data-')) element.setAttribute(name, value);
    else if (name in element) element[name] = value;
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) element.append(child);
  }
  return element;
}

const state = {
  route: { page: 'overview', committee: null, asOf: null },
  rows: new Map(), // organisation → { row, tr, signature }
  committeeNames: new Map(), // "committees/x" → its name, for the ticker and the lineage
  decisions: new Map(), // "decisions/x" → { number, effectiveDate }, for labels
  sort: { key: null, direction: 1 },
  loading: null,
  reloadAgain: false,
  focusHeading: false,
  highlightChanges: false, // rows changed by live events flash; a new date or page does not
};

// ---------------------------------------------------------------------------------------------------------- routes

function parseRoute() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const asOf = text.parseIsoDate(new URLSearchParams(query).get('as_of'));
  const committee = /^\/committees\/([a-z0-9-]+)$/.exec(path ?? '');
  return committee ? { page: 'committee', committee: committee[1], asOf } : { page: 'overview', committee: null, asOf };
}

function routeHash(route) {
  const query = route.asOf ? `?as_of=${text.isoDate(route.asOf)}` : '';
  return route.page === 'committee' ? `#/committees/${route.committee}${query}` : `#/${query}`;
}

const committeeLink = (name, asOf) => routeHash({ page: 'committee', committee: name.replace(/^committees\//, ''), asOf });

const asOfDate = () => state.route.asOf ?? text.todayInVietnam();

async function onRouteChange() {
  state.route = parseRoute();
  state.highlightChanges = false;
  $('as-of-input').value = text.formatDate(asOfDate());
  $('as-of-error').textContent = '';
  await reload();
}

// ------------------------------------------------------------------------------------------------------ loading

/** Loads the current page; a reload asked for while one runs runs once more after it (live events come in bursts). */
async function reload() {
  if (state.loading) {
    state.reloadAgain = true;
    return state.loading;
  }
  state.loading = (async () => {
    do {
      state.reloadAgain = false;
      try {
        if (state.route.page === 'committee') await loadCommittee();
        else await loadOverview();
        setStatus('');
      } catch (error) {
        reportError(error);
      }
    } while (state.reloadAgain);
  })();
  try {
    await state.loading;
  } finally {
    state.loading = null;
  }
}

function setStatus(message) {
  $('page-status').textContent = message;
}

function reportError(error) {
  if (error instanceof ApiError && error.needsToken) {
    setStatus('Cần mã truy cập hợp lệ để xem số liệu.');
    askForToken('Mã truy cập chưa có, không hợp lệ hoặc đã hết hạn.');
  } else if (error instanceof ApiError && error.httpStatus === 404 && state.route.page === 'committee') {
    setStatus('Không tìm thấy ban chỉ đạo này.');
  } else {
    setStatus(`Không tải được số liệu: ${error.message}`);
  }
}

function showPage(page) {
  $('overview').hidden = page !== 'overview';
  $('committee').hidden = page !== 'committee';
  if (state.focusHeading) {
    state.focusHeading = false;
    const heading = $(page === 'overview' ? 'overview-title' : 'committee-title');
    heading.tabIndex = -1;
    heading.focus();
  }
}

// ----------------------------------------------------------------------------------------------------- overview

async function loadOverview() {
  const overview = await api.nationalOverview(asOfDate());
  for (const row of overview.rows ?? []) {
    if (row.committee) state.committeeNames.set(row.committee, row.committeeDisplayName);
  }
  const national = overview.nationalCommittee?.committee;
  if (national) state.committeeNames.set(national.name, national.displayName);

  $('overview-date').textContent = `Số liệu tại ngày ${text.formatDate(overview.asOf ?? asOfDate())}`;
  renderCounts(overview);
  renderNational(overview.nationalCommittee);
  renderRows(overview.rows ?? []);
  showPage('overview');
}

function renderCounts(overview) {
  const rows = overview.rows ?? [];
  const provinces = rows.filter((row) => row.level === 'COMMITTEE_LEVEL_PROVINCE').length;
  const ministries = rows.filter((row) => row.level === 'COMMITTEE_LEVEL_MINISTRY').length;
  const counts = Object.keys(text.compliance).map((status) => ({
    status,
    count: rows.filter((row) => text.complianceOf(row.complianceStatus) === text.compliance[status]).length,
  }));
  $('overview-counts').replaceChildren(
    h('li', { 'data-count': 'ministries' }, h('span', { class: 'count' }, String(ministries)), ' bộ, ngành'),
    h('li', { 'data-count': 'provinces' }, h('span', { class: 'count' }, String(provinces)), ' tỉnh, thành phố'),
    ...counts.map(({ status, count }) => h('li', { class: `status ${text.compliance[status].css}`, 'data-count': text.compliance[status].css },
      h('span', { class: 'count' }, String(count)), ` ${text.compliance[status].label}`)),
  );
}

function renderNational(view) {
  const body = $('national-body');
  if (!view?.committee) {
    body.replaceChildren(h('p', {}, 'Chưa đăng ký Ủy ban quốc gia tại ngày này.'));
    return;
  }
  const committee = view.committee;
  const chair = (view.memberships ?? []).find((m) => (m.roles ?? []).includes('MEMBERSHIP_ROLE_CHAIR'));
  body.replaceChildren(
    h('p', { class: 'national-name' }, h('a', { href: committeeLink(committee.name, state.route.asOf) }, committee.displayName)),
    h('dl', { class: 'facts compact' },
      fact('Chủ tịch', chair ? personOf(chair) : '—'),
      fact('Thành viên', memberCountText(view.memberCount, view.uncertainMemberCount)),
      fact('Kiện toàn gần nhất', consolidationText(view.lastConsolidationNumber, view.lastConsolidationDate)),
      fact('Tuân thủ', complianceBadge(view.compliance?.status))),
    recordNote(committee),
  );
}

const fact = (term, ...details) => [h('dt', {}, term), h('dd', {}, ...details)];

function memberCountText(count, uncertain) {
  return uncertain ? `${count ?? 0} (+${uncertain} chưa chắc chắn)` : String(count ?? 0);
}

function consolidationText(number, date) {
  if (!number && !date) return 'Chưa ghi nhận';
  const when = date ? ` ngày ${text.formatCivilDate(date)}` : '';
  return [number || 'Quyết định chưa rõ số', when, text.isImprecise(date) ? h('span', { class: 'uncertain' }, ' (ngày chưa chính xác)') : null];
}

function complianceBadge(status) {
  const { label, css } = text.complianceOf(status);
  return h('span', { class: `badge ${css}` }, label);
}

function recordNote(committee) {
  return committee.beyondConfirmedRecord
    ? h('p', { class: 'note uncertain' },
      `Hồ sơ được nguồn xác nhận đến ${text.formatCivilDate(committee.confirmedThrough) || '—'}; số liệu tại ngày này là tình trạng cuối cùng được ghi nhận, chưa có nguồn xác nhận.`)
    : null;
}

function personOf(membership) {
  if (membership.personDisplayName) return membership.personDisplayName;
  if (membership.holderNotKnown) return h('span', { class: 'uncertain' }, 'Chưa rõ người giữ chức vụ');
  return membership.post ? h('span', { class: 'muted' }, 'Chức vụ đang khuyết') : '—';
}

// Rows are kept by organisation and updated in place: a live change never resets the filter, sorting or focus.
function renderRows(rows) {
  const organisations = rows.map((row) => row.organisation);
  const same = organisations.length === state.rows.size && organisations.every((organisation) => state.rows.has(organisation));
  if (!same) {
    state.rows.clear();
    $('rows-body').replaceChildren(...rows.map((row, index) => {
      const tr = h('tr', { 'data-organisation': row.organisation, 'data-level': text.levelKey(row.level) });
      const entry = { row, tr, order: index, signature: '' };
      fillRow(entry, row, false);
      state.rows.set(row.organisation, entry);
      return tr;
    }));
  } else {
    rows.forEach((row, index) => {
      const entry = state.rows.get(row.organisation);
      entry.order = index;
      fillRow(entry, row, state.highlightChanges);
    });
  }
  applySortAndFilter();
}

function fillRow(entry, row, highlight) {
  const signature = JSON.stringify([row, state.route.asOf]);
  if (signature === entry.signature) return;
  const changed = entry.signature !== '';
  entry.signature = signature;
  entry.row = row;
  entry.tr.replaceChildren(
    h('th', { scope: 'row', 'data-column': 'organisation' }, row.organisationDisplayName,
      h('span', { class: 'level' }, text.levelWords[row.level] ?? '')),
    h('td', { 'data-column': 'committee' }, row.committee
      ? [h('a', { href: committeeLink(row.committee, state.route.asOf) }, row.committeeDisplayName || row.committee),
        row.committeeState === 'COMMITTEE_STATE_NOT_RECORDED'
          ? h('span', { class: 'note uncertain' }, 'Đã tồn tại nhưng chưa có trong hồ sơ tại ngày này') : null,
        row.beyondConfirmedRecord
          ? h('span', { class: 'note uncertain' }, `Nguồn xác nhận đến ${text.formatCivilDate(row.confirmedThrough)}`) : null]
      : h('span', { class: 'muted' }, 'Chưa đăng ký ban chỉ đạo')),
    h('td', { 'data-column': 'chair' }, row.chairDisplayName || (row.chairPostDisplayName ? h('span', { class: 'muted' }, 'Chưa rõ') : '—'),
      row.chairPostDisplayName ? h('span', { class: 'post' }, row.chairPostDisplayName) : null),
    h('td', { class: 'number', 'data-column': 'members' }, row.committee ? memberCountText(row.memberCount, row.uncertainMemberCount) : '—'),
    h('td', { 'data-column': 'consolidation' }, row.committee ? consolidationText(row.lastConsolidationNumber, row.lastConsolidationDate) : '—'),
    h('td', { 'data-column': 'compliance' }, complianceBadge(row.complianceStatus)),
  );
  if (highlight && changed) {
    entry.tr.classList.remove('updated');
    void entry.tr.offsetWidth; // restarts the highlight animation
    entry.tr.classList.add('updated');
  }
}

const sortKeys = {
  organisation: (row) => row.organisationDisplayName ?? '',
  committee: (row) => row.committeeDisplayName ?? '',
  chair: (row) => row.chairDisplayName ?? '',
  members: (row) => row.memberCount ?? 0,
  consolidation: (row) => text.civilDateKey(row.lastConsolidationDate),
  compliance: (row) => text.complianceOf(row.complianceStatus).rank,
};

function compareRows(a, b) {
  const { key, direction } = state.sort;
  if (!key) return a.order - b.order; // the server's order: ministries, then provinces, each in vi-VN order
  const [x, y] = [sortKeys[key](a.row), sortKeys[key](b.row)];
  const result = typeof x === 'string' ? text.collator.compare(x, y) : x - y;
  return result * direction || a.order - b.order;
}

function applySortAndFilter() {
  const words = text.searchWords($('filter-input').value);
  const level = $('level-select').value;
  const entries = [...state.rows.values()].sort(compareRows);
  let shown = 0;
  for (const entry of entries) {
    const row = entry.row;
    const haystack = text.fold([row.organisationDisplayName, row.committeeDisplayName, row.chairDisplayName].join(' '));
    const visible = words.every((word) => haystack.includes(word)) && (!level || text.levelKey(row.level) === level);
    entry.tr.hidden = !visible;
    if (visible) shown += 1;
  }
  const body = $('rows-body');
  // Moves only rows out of place, so a focused link keeps its focus.
  entries.forEach((entry, index) => {
    if (body.children[index] !== entry.tr) body.insertBefore(entry.tr, body.children[index] ?? null);
  });
  $('filter-result').textContent = words.length > 0 || level ? `Hiển thị ${shown} trên ${entries.length}` : '';
  for (const th of document.querySelectorAll('#rows-table th[data-sort]')) {
    const sorted = th.dataset.sort === state.sort.key;
    th.setAttribute('aria-sort', sorted ? (state.sort.direction > 0 ? 'ascending' : 'descending') : 'none');
  }
}

function onSortClick(event) {
  const th = event.target.closest('th[data-sort]');
  if (!th) return;
  const key = th.dataset.sort;
  state.sort = state.sort.key === key ? { key, direction: -state.sort.direction } : { key, direction: 1 };
  applySortAndFilter();
}

// ---------------------------------------------------------------------------------------------------- committee

async function loadCommittee() {
  const name = `committees/${state.route.committee}`;
  const asOf = asOfDate();
  const [view, lineage, decisions] = await Promise.all([
    api.committeeView(name, asOf),
    api.lineage(name),
    api.decisionsOf(name),
  ]);
  const committee = view.committee;
  state.committeeNames.set(committee.name, committee.displayName);
  for (const decision of decisions) rememberDecision(decision);
  const memberships = view.memberships ?? [];
  await Promise.all([
    resolveDecisions(memberships.map((m) => m.appointingDecision)),
    resolveCommitteeNames((lineage.links ?? []).flatMap((link) => [link.predecessor, link.successor])),
  ]);

  const commission = text.isCommission(committee.displayName);
  document.title = `${committee.displayName} — Bảng điều hành Chính phủ điện tử`;
  $('committee-title').textContent = committee.displayName;
  $('committee-date').textContent = `Số liệu tại ngày ${text.formatDate(view.asOf ?? asOf)}`;
  $('back-link').href = routeHash({ page: 'overview', asOf: state.route.asOf });
  renderCommitteeNotes(view);
  renderCommitteeFacts(view, commission);
  renderMembers(memberships, commission);
  renderWorkingGroups(view.workingGroups ?? []);
  renderLineage(committee, lineage.links ?? []);
  renderTimeline(decisions);
  showPage('committee');
}

const rememberDecision = (decision) => state.decisions.set(decision.name, { number: decision.number, effectiveDate: decision.effectiveDate });

async function resolveDecisions(names) {
  const missing = [...new Set(names.filter((name) => name && !state.decisions.has(name)))];
  await Promise.all(missing.map(async (name) => {
    try {
      rememberDecision(await api.decision(name));
    } catch {
      state.decisions.set(name, null); // not readable: shown by its resource name
    }
  }));
}

async function resolveCommitteeNames(names) {
  const missing = [...new Set(names.filter((name) => name && !state.committeeNames.has(name)))];
  await Promise.all(missing.map(async (name) => {
    try {
      state.committeeNames.set(name, (await api.committee(name, asOfDate())).displayName);
    } catch {
      state.committeeNames.set(name, '');
    }
  }));
}

const committeeNameOf = (name) => state.committeeNames.get(name) || name.replace(/^committees\//, '');
/** A decision as people cite it: its number, or — when the source gives none — "chưa rõ số" and its date. */
function decisionNumberOf(name) {
  const decision = state.decisions.get(name);
  if (!decision) return name.replace(/^decisions\//, '');
  if (decision.number) return decision.number;
  const when = text.formatCivilDate(decision.effectiveDate);
  return when ? `chưa rõ số, ${when}` : 'chưa rõ số';
}

function renderCommitteeNotes(view) {
  const committee = view.committee;
  const notes = [];
  if (committee.state && committee.state !== 'COMMITTEE_STATE_ACTIVE') {
    notes.push(h('p', { class: 'note' }, text.committeeStateWords[committee.state] ?? '',
      committee.endDate ? ` từ ngày ${text.formatCivilDate(committee.endDate)}` : '',
      committee.successor ? [' — kế thừa bởi ', h('a', { href: committeeLink(committee.successor, committee.endDate?.day ? committee.endDate : state.route.asOf) }, committeeNameOf(committee.successor))] : ''));
  }
  const note = recordNote(committee);
  if (note) notes.push(note);
  if (view.uncertainMemberCount) {
    notes.push(h('p', { class: 'note uncertain' },
      `${view.uncertainMemberCount} thành viên có ngày bắt đầu hoặc kết thúc chỉ biết đến tháng hoặc năm: tại ngày này chưa chắc chắn.`));
  }
  $('committee-notes').replaceChildren(...notes);
}

function renderCommitteeFacts(view, commission) {
  const committee = view.committee;
  const findings = view.compliance?.findings ?? [];
  $('committee-facts').replaceChildren(
    ...fact('Cấp', text.levelWords[committee.level] ?? ''),
    ...fact('Tình trạng', text.committeeStateWords[committee.state] ?? ''),
    ...fact('Thành lập', committee.foundingDate ? text.formatCivilDate(committee.foundingDate)
      : committee.recordStartDate ? `Chưa rõ (hồ sơ bắt đầu từ ${text.formatCivilDate(committee.recordStartDate)})` : 'Chưa rõ'),
    ...fact(commission ? 'Cơ quan thường trực' : 'Cơ quan đầu mối', committee.focalAgency?.displayName || 'Chưa ghi nhận'),
    ...fact('Nhiệm vụ', (committee.mandateTopics ?? []).map((topic) => text.mandateWords[topic] ?? topic).join(', ') || 'Chưa ghi nhận'),
    ...fact('Thành viên', memberCountText(view.memberCount, view.uncertainMemberCount)),
    ...fact('Kiện toàn gần nhất', consolidationText(view.lastConsolidationNumber, view.lastConsolidationDate)),
    ...fact('Tuân thủ', complianceBadge(view.compliance?.status),
      findings.length ? h('ul', { class: 'findings' }, findings.map((finding) =>
        h('li', {}, complianceBadge(finding.status), ' ', finding.explanation || finding.rule))) : null),
    ...((committee.names ?? []).length > 1
      ? fact('Tên qua các thời kỳ', h('ul', { class: 'names' }, committee.names.map((item) =>
        h('li', {}, item.displayName, ` (từ ${text.formatCivilDate(item.startDate)}${item.decision ? `, ${decisionNumberOf(item.decision)}` : ''})`))))
      : []),
  );
}

function renderMembers(memberships, commission) {
  // Vietnamese protocol order; the server's vi-VN name order within a role is kept (the sort is stable).
  const ordered = memberships
    .map((membership, index) => ({ membership, index }))
    .sort((a, b) => text.protocolRankOf(a.membership) - text.protocolRankOf(b.membership) || a.index - b.index)
    .map((item) => item.membership);
  $('members-body').replaceChildren(...ordered.map((m, index) => {
    const uncertain = m.certainty === 'CERTAINTY_UNCERTAIN';
    return h('tr', { 'data-rank': String(text.protocolRankOf(m)), class: uncertain ? 'uncertain-row' : '' },
      h('td', { class: 'number' }, String(index + 1)),
      h('th', { scope: 'row', 'data-column': 'person' }, personOf(m)),
      h('td', { 'data-column': 'post' }, m.postDisplayName || '—'),
      h('td', { 'data-column': 'roles' }, text.rolesLabel(m, commission)),
      h('td', { 'data-column': 'start' }, text.formatCivilDate(m.startDate) || 'Chưa rõ',
        uncertain ? h('span', { class: 'note uncertain' }, 'Chưa chắc chắn tại ngày này') : null,
        m.startNotBefore ? h('span', { class: 'note' }, `không sớm hơn ${text.formatDate(m.startNotBefore)}`) : null),
      h('td', { 'data-column': 'decision' }, m.appointingDecision ? decisionNumberOf(m.appointingDecision) : 'Chưa ghi nhận'));
  }));
  if (ordered.length === 0) {
    $('members-body').replaceChildren(h('tr', {}, h('td', { colSpan: 6 }, 'Không có thành viên tại ngày này.')));
  }
}

function renderWorkingGroups(groups) {
  $('groups-body').replaceChildren(...(groups.length ? groups.map((group) => h('article', { class: 'group' },
    h('h3', {}, group.displayName),
    group.purpose ? h('p', {}, group.purpose) : null,
    h('p', { class: 'muted' }, `Thành lập ${text.formatCivilDate(group.startDate)}`,
      group.establishingDecision ? ` theo Quyết định ${decisionNumberOf(group.establishingDecision)}` : ''),
    h('ul', { class: 'group-members' }, (group.members ?? []).map((member) => h('li', {},
      h('strong', {}, text.workingGroupRoleWords[member.role] ?? ''), ': ',
      member.personDisplayName || member.postDisplayName || 'Chưa rõ',
      member.personDisplayName && member.postDisplayName ? `, ${member.postDisplayName}` : ''))),
  )) : [h('p', { class: 'muted' }, 'Chưa ghi nhận tổ công tác tại ngày này.')]));
}

function renderLineage(committee, links) {
  const linkItem = (role, other, link) => {
    // A predecessor is shown on the day before the merge (when it still existed), a successor on the merge day.
    const mergeDay = link.effectiveDate?.day ? link.effectiveDate : null;
    const when = mergeDay && role === 'predecessor' ? dayBefore(mergeDay) : mergeDay;
    return h('li', {},
      h('a', { href: committeeLink(other, when ?? state.route.asOf) }, committeeNameOf(other)),
      ` — ${role === 'predecessor' ? 'hợp nhất vào' : 'kế thừa từ'} ${role === 'predecessor' ? committeeNameOf(link.successor) : committeeNameOf(link.predecessor)}`,
      link.effectiveDate ? ` từ ngày ${text.formatCivilDate(link.effectiveDate)}` : '',
      link.decision ? ` (Quyết định ${decisionNumberOf(link.decision)})` : '');
  };
  const predecessors = links.filter((link) => link.successor === committee.name);
  const successors = links.filter((link) => link.predecessor === committee.name);
  const earlier = links.filter((link) => !predecessors.includes(link) && !successors.includes(link));
  const lists = [];
  if (predecessors.length) lists.push(h('h3', {}, 'Tiền thân'), h('ul', {}, predecessors.map((link) => linkItem('predecessor', link.predecessor, link))));
  if (successors.length) lists.push(h('h3', {}, 'Kế thừa'), h('ul', {}, successors.map((link) => linkItem('successor', link.successor, link))));
  if (earlier.length) lists.push(h('h3', {}, 'Các liên kết khác trong dòng kế thừa'), h('ul', {}, earlier.map((link) => linkItem('predecessor', link.predecessor, link))));
  $('lineage-body').replaceChildren(...(lists.length ? lists : [h('p', { class: 'muted' }, 'Không có tiền thân hay kế thừa được ghi nhận.')]));
}

function dayBefore(date) {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day - 1));
  return { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
}

function renderTimeline(decisions) {
  const ordered = [...decisions].sort((a, b) => text.civilDateKey(a.effectiveDate) - text.civilDateKey(b.effectiveDate));
  $('timeline').replaceChildren(...(ordered.length ? ordered.map((decision) => h('li', { 'data-decision': decision.name },
    h('span', { class: 'timeline-date' }, text.formatCivilDate(decision.effectiveDate) || 'Chưa rõ ngày'),
    h('span', { class: 'timeline-body' },
      h('strong', {}, decision.number || 'Chưa rõ số'), ' — ',
      (decision.kinds ?? []).map((kind) => text.decisionKindWords[kind] ?? kind).join(', '), ': ',
      decision.title ?? '',
      h('span', { class: `badge state ${(decision.state ?? '').toLowerCase()}` }, text.decisionStateWords[decision.state] ?? '')),
  )) : [h('li', { class: 'muted' }, 'Chưa ghi nhận quyết định nào.')]));
}

// ------------------------------------------------------------------------------------------------------- ticker

const tickerLimit = 50;

function describeEvent(envelope) {
  // A new or renamed committee is named by its own event, before the page's data show it.
  const created = envelope.committeeCreated?.committee;
  if (created) state.committeeNames.set(created.name, created.displayName);
  if (envelope.committeeRenamed) state.committeeNames.set(envelope.committeeRenamed.committee, envelope.committeeRenamed.displayName);
  const committee = envelope.committee ? committeeNameOf(envelope.committee) : '';
  const who = (m) => m?.personDisplayName || m?.postDisplayName || 'Một thành viên';
  const e = envelope;
  if (e.decisionIssued) {
    const decision = e.decisionIssued.decision ?? {};
    rememberDecision(decision);
    return `Ban hành Quyết định ${decision.number || '(chưa rõ số)'}: ${decision.title ?? ''}`;
  }
  if (e.decisionApplied) return `Đã áp dụng Quyết định ${decisionNumberOf(e.decisionApplied.decision)}`;
  if (e.decisionRejected) return `Quyết định ${decisionNumberOf(e.decisionRejected.decision)} không được áp dụng`;
  if (e.decisionRevoked) return `Quyết định ${decisionNumberOf(e.decisionRevoked.decision)} bị bãi bỏ`;
  if (e.membershipStarted) return `${who(e.membershipStarted.membership)} tham gia ${committee}`;
  if (e.membershipEnded) return `${who(e.membershipEnded.membership)} thôi tham gia ${committee}`;
  if (e.membershipRolesChanged) return `${who(e.membershipRolesChanged.membership)}: thay đổi vai trò trong ${committee}`;
  if (e.committeeCreated) return `Thành lập ${e.committeeCreated.committee?.displayName ?? committee}`;
  if (e.committeeUpdated) return `Cập nhật ${committee}`;
  if (e.committeeRenamed) return `Đổi tên ${e.committeeRenamed.previousDisplayName} thành ${e.committeeRenamed.displayName}`;
  if (e.committeeMerged) return `${committee} hợp nhất vào ${committeeNameOf(e.committeeMerged.successor)}`;
  if (e.committeeDissolved) return `Giải thể ${committee}`;
  if (e.workingGroupChanged) return `Tổ công tác ${e.workingGroupChanged.workingGroup?.displayName ?? ''} của ${committee} thay đổi`;
  if (e.complianceChanged) return `${committee}: ${text.complianceOf(e.complianceChanged.compliance?.status).label}`;
  if (e.postHolderChanged) {
    const change = e.postHolderChanged;
    return `${change.postDisplayName}: ${change.personDisplayName || (change.holderNotRecorded ? 'chưa rõ người giữ' : 'khuyết')}`;
  }
  return e.type ?? 'Sự kiện';
}

function addToTicker(envelope) {
  const ticker = $('ticker');
  const item = h('li', { 'data-position': envelope.position, 'data-type': (envelope.type ?? '').replace(/^.*\./, '') },
    h('time', { dateTime: envelope.time ?? '' }, text.formatTime(envelope.time)), ' ',
    envelope.committee
      ? h('a', { href: committeeLink(envelope.committee, state.route.asOf) }, describeEvent(envelope))
      : describeEvent(envelope));
  ticker.prepend(item);
  while (ticker.children.length > tickerLimit) ticker.lastElementChild.remove();
}

// ------------------------------------------------------------------------------------------------------- tokens

function askForToken(message) {
  const dialog = $('token-dialog');
  $('token-error').textContent = message ?? '';
  $('token-input').value = '';
  $('token-remember').checked = localStorage.length > 0 && !!storedToken();
  if (!dialog.open) dialog.showModal();
}

function onTokenSubmit(event) {
  event.preventDefault();
  const token = $('token-input').value.trim();
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) {
    $('token-error').textContent = 'Mã truy cập không đúng dạng (một JWT gồm ba phần cách nhau bởi dấu chấm).';
    $('token-input').focus();
    return;
  }
  saveToken(token, $('token-remember').checked);
  $('token-dialog').close();
  feed.stop();
  feed.start();
  reload();
}

// ----------------------------------------------------------------------------------------------------- live feed

const liveWords = {
  connecting: 'Đang kết nối…',
  connected: 'Đang cập nhật trực tiếp',
  reconnecting: 'Mất kết nối, đang kết nối lại…',
  refused: 'Nguồn sự kiện từ chối mã truy cập',
};

const feed = new Feed({
  onEvent(envelope) {
    addToTicker(envelope);
    state.highlightChanges = true;
    reload();
  },
  onOpen(resumed) {
    // A resumed stream missed nothing; a fresh one may have: the page reloads what it shows.
    if (!resumed) reload();
  },
  onStatus(status, detail) {
    const element = $('live-status');
    element.dataset.state = status;
    element.textContent = detail ? `${liveWords[status]}: ${detail}` : liveWords[status];
  },
  onUnauthorized() {
    askForToken('Mã truy cập không được chấp nhận.');
  },
});

// ------------------------------------------------------------------------------------------------------- start

function onAsOfSubmit(event) {
  event.preventDefault();
  const date = text.parseDate($('as-of-input').value);
  if (!date) {
    $('as-of-error').textContent = 'Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.';
    $('as-of-input').focus();
    return;
  }
  location.hash = routeHash({ ...state.route, asOf: date });
}

function start() {
  takeTokenFromAddress();
  $('as-of-form').addEventListener('submit', onAsOfSubmit);
  $('as-of-today').addEventListener('click', () => { location.hash = routeHash({ ...state.route, asOf: null }); });
  $('filter-input').addEventListener('input', applySortAndFilter);
  $('level-select').addEventListener('change', applySortAndFilter);
  $('rows-table').querySelector('thead').addEventListener('click', onSortClick);
  $('token-form').addEventListener('submit', onTokenSubmit);
  $('token-button').addEventListener('click', () => askForToken(''));
  $('token-forget').addEventListener('click', () => { forgetToken(); askForToken('Đã xoá mã đã lưu.'); });
  window.addEventListener('hashchange', () => {
    // Another page takes the focus to its heading (announced by screen readers); another date leaves it in the form.
    const next = parseRoute();
    state.focusHeading = next.page !== state.route.page || next.committee !== state.route.committee;
    onRouteChange();
  });

  loadConfig().finally(() => {
    if (!storedToken()) askForToken('');
    onRouteChange();
    feed.start();
  });
}

start();
