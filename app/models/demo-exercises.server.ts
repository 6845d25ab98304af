// Demo data only. In demo mode, demo.server.ts seeds these two fictional peers' submissions to the
// module 1 exercise (content/modules/threats-and-threat-actors/exercise.yml), so the demo learner has
// texts to review. One is strong and one has flaws a reviewer can spot against the rubric. Each text
// stays within its task's word limits; the States stay unnamed, as in the brief.

/** Two fictional demo peers' submissions to the module 1 exercise, so the demo learner has texts to review. */
export const DEMO_PEERS: { name: string; email: string; texts: Record<string, string> }[] = [
  {
    name: "Sofía Demo Peer",
    email: "peer1@example.org",
    texts: {
      note: `For the Minister. Ransomware attack on our neighbour: what we know, what it means for us, and a recommended response.

Summary. Over the weekend ransomware disabled the neighbour's Ministry of Finance, customs service and national health insurance fund. The neighbour has declared a national emergency and asked friendly States for technical help. I recommend that you express solidarity, offer CSIRT-to-CSIRT technical help once our national CSIRT has confirmed what it can provide, and say nothing about who is responsible.

Confirmed.
- The neighbour has declared a national emergency and asked friendly States for technical help.
- Its customs service cannot process electronic declarations; lorries are queuing at the main border crossing.
- Our national CSIRT has detected phishing e-mails, with lures similar to those used against the neighbour, sent to two of our ministries.

Claimed or suggested, not confirmed.
- A criminal ransomware-as-a-service group claims the attack on its leak site, demands a large ransom and threatens to publish taxpayer records and patients' data. Nothing has been published.
- A hacktivist channel claims DDoS attacks on the neighbour's government websites. This is a separate actor with a political motive, and its claim is unverified. Some self-styled hacktivists are in fact supported or directed by a State.
- Foreign media suggest that the criminal group operates from the territory of a third State. No government has made an attribution.

Not yet known.
- How the attackers got in, and whether any data was actually taken: the neighbour's national CSIRT will establish this.
- Whether the phishing against our ministries is the same campaign: our national CSIRT will tell us.
- Whether anyone directs the criminal group: a matter for the neighbour's police and prosecutors, with partners.
- How long recovery will take.

Damage and effects on us. The attack has hit availability: the neighbour cannot collect tax, clear goods electronically or run health insurance. If the group holds the data and publishes it, confidentiality will be lost as well, for taxpayers and patients alike. For us this means:
- trade delayed at the border, with costs for our exporters and hauliers;
- several thousand of our nationals in the neighbouring State whose health cover may be interrupted and whose personal data may be exposed; our embassy should be ready for their questions;
- a possible campaign against our own administration.

The closest precedent is Costa Rica in 2022: the Conti group hit around 30 public institutions, including the tax and customs systems, and the government declared a national emergency by Executive Decree 43542-MP-MICITT of 8 May 2022. As there, revenue, trade and social security suffer first.

Options.
1. A statement of solidarity only. Safe, but passive towards a neighbour that has asked for help.
2. Recommended: solidarity and a concrete offer of CSIRT-to-CSIRT technical help, limited to what our national CSIRT confirms it can deliver. This answers the request in line with norm 13(h) of the 2015 GGE report (A/70/174), which resolution A/RES/70/237 called on States to be guided by: States should respond to appropriate requests for assistance when their critical infrastructure is attacked.
3. A public reference to the third State. Not advised. Media reports are no basis; norm 13(b) asks States to consider all relevant information, and the same report warns that activity launched from a State's territory may not by itself justify attributing it to that State. The criminal side calls for police and judicial cooperation.

Action today. The national CSIRT to confirm the offer before your call, follow up the phishing and warn all ministries; our customs service to prepare manual clearance with the neighbour's customs.`,
      lines: `- We stand with the government and people of our neighbour after this attack on their public services.
- Our neighbour has asked friendly States for help. We are ready to offer technical help through our national CSIRT, and I will discuss it with my counterpart tomorrow.
- We are working with our neighbour's authorities to keep goods moving at the border.
- Our embassy is in touch with our nationals living there and will answer their questions.
- Our own teams are on alert and have warned our public institutions.

Who is behind the attack?
"The investigation is for the authorities concerned, and I will not speculate. Whoever is responsible, holding public services and patients' data to ransom is a crime, and those behind it must be brought to justice."`,
      call: `Open
- Solidarity with the government and people; thanks for keeping us informed.

Ask
- What help do you need most, and through which channel should it go?
- Has your CSIRT found how the attackers got in, and whether data was taken?
- Can we agree to consult before either of us says anything in public about responsibility?

Offer
- The technical help our national CSIRT has confirmed, through direct CSIRT-to-CSIRT contact.
- A meeting of our customs services this week to set up manual clearance at the main crossing.
- Our CSIRT's findings on the phishing sent to our ministries, so that both sides can protect themselves.
- Consular cooperation for our nationals whose health cover is affected.

Avoid
- Any comment on the third State or on the media reports about it.
- Any promise beyond what our CSIRT has confirmed.`,
    },
  },
  {
    name: "Mateo Demo Peer",
    email: "peer2@example.org",
    texts: {
      note: `Briefing note for the Minister: ransomware attack on the neighbouring country

Over the weekend our neighbour suffered a major ransomware attack. A criminal group running a ransomware-as-a-service operation has stolen taxpayer records and patients' data and is demanding a large ransom, failing which it will publish them. The attack has shut down the Ministry of Finance, the customs service and the national health insurance fund. The government has declared a national emergency and asked friendly States for technical help.

The group is also using hacktivists, who have launched DDoS attacks on the neighbour's government websites in support of a political cause. This shows how well organised the operation is.

According to foreign media, the group operates from the territory of [the third State]. This would not be the first time that criminals have acted from the territory of one State against another, and it is important that [the third State] is reminded of its responsibility to stop such activity.

Damage. This is a very serious attack on the availability of the neighbour's systems. Taxes cannot be collected, goods cannot be cleared at customs and health insurance is not working. It is also a breach of confidentiality, since the data of taxpayers and patients is now in criminal hands. The situation is similar to what happened in Costa Rica a few years ago, when ransomware also paralysed the government.

Effects on our country. Because of our close trade links and the number of our nationals living in the neighbouring country, this situation could also affect us. There are already queues of lorries at the border. We should follow developments closely.

Options.
1. Issue a statement of solidarity. This is the minimum expected from a neighbour and friendly country, but on its own it may look weak.
2. Offer our neighbour all the assistance it needs, whether technical, financial or in other forms. This would show that we are a reliable partner and would be welcomed by their government and public.
3. Raise the matter with [the third State], either publicly or through diplomatic channels, and ask it to take action against the group operating from its territory.

Recommendation. I recommend option 2, combined with option 3. The minister should announce at the press conference that we will provide full support to our neighbour, and should call on [the third State] to act against the criminals on its territory. Cybercrime is a threat to all of us and States must not allow their territory to be used for such attacks.

Next steps. The relevant agencies can work out the details of our assistance after the minister's call with the neighbour's foreign minister tomorrow. Our embassy should also be asked for an update on the situation on the ground, including at the border crossing, and should report any requests it receives from the neighbouring government.

We should also consider whether our own ministries are sufficiently protected against an attack of this kind, since our administration depends on many of the same types of systems as our neighbour's.`,
      lines: `- We are deeply concerned by the serious cyber attack on our neighbour and express our full solidarity with its government and people.
- We will give our neighbour all the help it needs to restore its services as quickly as possible.
- This attack shows that cybercrime is a threat to every country, including ours.
- We call on all States to act against criminals who operate from their territory.

Who is behind the attack?
"The attack was carried out by a criminal ransomware group which, according to the information available, operates from [the third State]. We expect the authorities of [the third State] to take action against it without delay."`,
      call: `- Express our solidarity and sympathy after the attack.
- Offer our full support: we are ready to help in any way we can, technically, financially or otherwise.
- Ask the minister to keep us informed of developments and of the progress of the investigation.
- Ask that the border crossing return to normal as soon as possible, as our exporters are suffering.
- Mention that we intend to raise the matter with [the third State] and invite the neighbour to do the same.
- Avoid: any criticism of the neighbour's cyber security or of its handling of the crisis.`,
    },
  },
];
