import { api, temporalLink } from '../api.js';
import { fmtTime, h, notice } from '../dom.js';

const dl = (rows) => h('dl', { class: 'meta' }, rows.flatMap(([k, v, testid]) => [h('dt', {}, k), h('dd', { dataset: testid ? { testid } : {} }, v ?? '—')]));

/** What an agent sees beside the chat: the campaign or deflection that started it, the consumer, the conversation. */
export async function agentPage({ params, go }) {
  const conversationId = params[0];
  const input = h('input', { name: 'conversationId', value: conversationId ?? '', placeholder: 'conversation ID', spellcheck: false, required: true });
  const lookup = h(
    'form',
    { class: 'row', id: 'agent-lookup' },
    h('label', { for: 'conversation-id' }, 'Conversation '),
    Object.assign(input, { id: 'conversation-id' }),
    h('button', { type: 'submit' }, 'Show'),
  );
  lookup.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (input.value.trim()) go(`/agent/${encodeURIComponent(input.value.trim())}`);
  });
  const page = h('section', { id: 'agent-widget' }, h('h1', {}, 'Agent widget'), lookup);
  if (!conversationId) return page;

  let ctx;
  try {
    ctx = await api('GET', `/conversations/${encodeURIComponent(conversationId)}/context`);
  } catch (err) {
    page.append(notice('error', err.status === 404 ? 'No such conversation in this account.' : `${err.code}: ${err.message}`));
    return page;
  }
  const c = ctx.campaign;
  const campaignCard = c
    ? h(
        'div',
        { class: 'card', id: 'agent-campaign' },
        h('h2', {}, c.source === 'ivr' ? 'IVR deflection' : 'Campaign'),
        dl([
          ['Name', c.campaignName, 'campaign-name'],
          ['Engagement', c.engagementName],
          ['Skill', c.skill],
          ['Source', c.source],
          c.campaignId ? ['Campaign ID', c.campaignId] : ['Deflection ID', c.deflectionId],
        ]),
        c.workflowId ? await temporalLink(c.workflowId) : null,
      )
    : h('div', { class: 'card', id: 'agent-campaign' }, h('h2', {}, 'Campaign'), h('p', { class: 'muted', dataset: { testid: 'no-campaign' } }, 'No campaign: this conversation was not started by a campaign or an IVR deflection.'));
  page.append(
    h(
      'div',
      { class: 'cards' },
      campaignCard,
      h(
        'div',
        { class: 'card', id: 'agent-consumer' },
        h('h2', {}, 'Consumer'),
        dl([
          ['Device', ctx.consumer.device],
          ['OS', ctx.consumer.deviceOs],
          ['Country', ctx.consumer.country],
          ['City', ctx.consumer.city],
        ]),
      ),
      h(
        'div',
        { class: 'card', id: 'agent-conversation' },
        h('h2', {}, 'Conversation'),
        dl([
          ['ID', ctx.conversation.conversationId],
          ['Started', fmtTime(ctx.conversation.startTime)],
          ['Channel', ctx.conversation.channel],
        ]),
      ),
    ),
  );
  return page;
}
