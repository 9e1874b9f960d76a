"""Precision and recall of pseudonymisation's finders on a labelled synthetic set, and speed.

    .venv/bin/python bench/names.py [--n 4000] [--seed 2026] [--holdout 20] [--set both]
                                    [--throughput 200000] [--processes 2] [--out results.json]
                                    [--errors 0]

Builds sentences in the register of NHS patient feedback and focus-group transcripts from
templates written for this benchmark, fills them with names, NHS numbers (valid, and ten-digit
numbers with a wrong check digit that must not be found), UK phone numbers in many formats,
email addresses, postcodes and dates of birth, and records where each one is (the gold spans).
About a third of the sentences contain nothing to find: ordinary words that are also names
(Will, Hope, Grace, Bath), hospitals, charities, wards, medicines, months and job titles.

Two sets of templates. "dev" was used while the rules were written; it includes two groups that
were first written as evaluation sets, run once, and then studied to improve the rules (their
first results are in docs/performance.md). "eval" was written last, with its own hospitals,
towns, wards, charities and medicines, after the rules were settled, and has not been used to
change them. Both are reported.

Names are drawn from Faker's locale lists and from a list in this file, grouped by origin with
weights roughly like the UK's population. To measure names the finder has never seen, a share of
the pool (`--holdout`, percent, chosen by a hash of the name) is removed from the finder's
gazetteer for the run, and recall is reported separately for names inside and outside it.

Matching: a gold span is found ("recall") if one detected span of the same kind covers all of
it; a detected span is correct ("precision") if it overlaps a gold span of the same kind. The
bar (recall >= 0.95 names, >= 0.99 NHS numbers, phones and emails; precision >= 0.90) uses
these. Exact matching (same start and end) is reported beside them.

Throughput: `find_all` (every finder, as used on import) over short comments, in one process
and in `--processes` processes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import platform
import random
import re
import sys
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coproduce.analysis import names as names_module
from coproduce.analysis.identifiers import find as find_identifiers
from coproduce.analysis.names import Gazetteer, NameFinder, key
from coproduce.analysis.pseudonymise import combine

KINDS = ["name", "nhs_number", "phone", "email", "postcode", "date_of_birth"]
BARS = {"name": 0.95, "nhs_number": 0.99, "phone": 0.99, "email": 0.99}

# Names written for this benchmark, most of them rarer than Faker's, by origin. Some are in the
# finder's own lists and some are not; the run counts which.
BENCH_NAMES: dict[str, tuple[str, str]] = {
    "british": (
        "Bronwen Tamsin Jolene Kezia Marlene Fenella Ottoline Wilhelmina Ainsley Rowan Jocelyn "
        "Piers Crispin Barnaby Jasper Rupert Lorcan Demelza Morwenna Kerensa Jago Loveday "
        "Perran Tristan Cordelia Imogen Hermione Clemency Araminta Ptolemy Hector Horatio",
        "Tregunna Penhaligon Trelawney Pengelly Quayle Cregeen Kermode Prothero Gwilliam "
        "Cadwaladr Drysdale Lumsden Ogilvy Auchinleck Mcilwraith Threlfall Entwistle Sowerbutts "
        "Ackroyd Braithwaite Heseltine Oddie Illingworth Pilkington Postlethwaite Scattergood",
    ),
    "celtic": (
        "Caitriona Dervla Eilis Nuala Rhonwen Branwen Cerian Heledd Manon Dyfan Emyr Hedd "
        "Gwion Macsen Taliesin Cathal Donnchadh Fionn Oran Ruairi Seonag Peigi Calum Lachie",
        "Ní_Bhriain Ó_Ceallaigh MacGiolla Cadwgan Llwyd Gruffudd Mac_an_tSaoi Ó_Dónaill "
        "McIlroy Ballantyne Carmichael Farquharson MacPhail Matheson Robertson Grierson",
    ),
    "south_asian": (
        "Anoushka Bhavna Charanjit Dalbir Gurinder Harjinder Indira Jagdish Kanwal Lakhbir Mukesh "
        "Navjot Parminder Ranjit Satnam Tejinder Shereen Farzana Rumana Sabiha Mushtaq Tanvir "
        "Zeeshan Waqas Ayaan Ishaan Vihaan Kavya Saanvi Nandini Thilini Dinesh Chaminda",
        "Dhaliwal Kalsi Bhogal Chana Rehal Nijjar Sangha Thandi Ubhi Hayre Atwal Jandu Kainth "
        "Lakhani Popat Thakrar Ruparelia Vekaria Kotecha Chaudhary Abbasi Hashmi Rizvi Zaidi "
        "Talukdar Sarkar Bhuiyan Majumder Wickramasinghe Gunawardena Rajapaksa Thambirajah",
    ),
    "african": (
        "Ugochukwu Adaora Chinwe Ejike Ifeanyi Nnamdi Oluchi Yewande Bolanle Damilola Ebunoluwa "
        "Adjoa Kwadwo Esi Yaa Afua Kobina Ekow Nii Naa Tsitsi Rumbidzai Kudzai Tafadzwa Nokuthula "
        "Lindiwe Ubah Warsan Xamdi Cabdi Fartun Deqa Amare Selam Tesfaye Mekdes",
        "Okeke Onwuachi Nwachukwu Ezeji Adebiyi Oyelowo Akinola Ogundipe Quaye Tetteh Amponsah "
        "Nyarko Zulu Mabaso Chiweshe Mupfumira Makoni Mavhunga Ibekwe Okoro Odukoya Olaniyan "
        "Hersi Warsame Samatar Tadesse Haile Gebremedhin Mengistu Abebe",
    ),
    "caribbean": (
        "Cedella Dorrell Garfield Lennox Oneil Pansy Icilda Verona Winsome Hopeton Fitzgerald "
        "Lorenzo Shantelle Jodian Tishana Delano Kemar Rohan Shamar Jevaughn Tanesha",
        "Beckford Mais Lindo McFarlane Gayle Brissett Ebanks Morrison Thorpe Plummer Gooden "
        "Lyttle Whyte Mighty Stennett Grizzle Hylton Dacres Fagan Oduro",
    ),
    "eastern_european": (
        "Bożena Czesław Dominika Grażyna Jarosław Mirosław Stanisław Urszula Wiesław Ludmila "
        "Radoslav Valentina Ilinca Sorin Gintarė Rimantas Žydrūnas Dace Edgars Kristīne Oleg "
        "Taras Bohdan Halyna Zoryana Květa Miloš Zdeněk Ágnes Zoltán Dorota",
        "Brzeziński Grzelak Szczepańska Kaczmarek Wawrzyniak Constantinescu Bălan Dragomir "
        "Žukauskienė Paulauskas Bondar Hnatyuk Kovalchuk Procházka Veselý Farkas Balogh Ozoliņa "
        "Liepiņš Jasinskas Sadowska Chmielewski Pietrzak Stępień Górecki",
    ),
    "east_asian": (
        "Xueying Zhiyuan Wenjing Chunhua Guoqiang Haiyan Shufen Yiming Zixuan Ka Wai Siu Ming "
        "Pui Yee Wing Yan Thuy Phuong Khanh Quynh Hieu Nhung",
        "Tsui Kwong Leong Yau Mok Szeto Ching Luk Man Hui Kam Trinh Dinh Lam Vuong Truong Quach",
    ),
    "middle_eastern": (
        "Abdulrahman Ghada Hiba Lujain Munira Yasser Bushra Dalia Ghassan Husam Jumana Marwan "
        "Nabil Rawan Shadi Tamer Wafa Zeina Baran Roza Shirin Kawa Dara Sirwan",
        "Haddadin Al-Rashid Abdelkader Barzani Hawrami Jaff Tahir Darwish Khoury Mansour "
        "Sabbagh Qasim Nasr Yousif Abboud Hamdan",
    ),
}

# Faker locales for each origin, and the share of names drawn from each origin.
ORIGINS: dict[str, tuple[float, list[str]]] = {
    "british": (0.46, ["en_GB", "en_NZ", "en_US"]),
    "celtic": (0.08, ["en_IE"]),
    "south_asian": (0.15, ["en_IN", "en_PK"]),
    "african": (0.10, ["yo_NG", "ig_NG", "ha_NG", "en_NG", "tw_GH", "en_KE", "zu_ZA", "sw"]),
    "caribbean": (0.04, ["en_GB"]),
    "eastern_european": (0.09, ["pl_PL", "ro_RO", "lt_LT", "lv_LV", "sk_SK", "cs_CZ", "hu_HU"]),
    "east_asian": (0.04, ["zh_CN", "vi_VN"]),
    "middle_eastern": (0.04, ["tr_TR"]),
}


# Names that are everyday words, used as names ("my daughter Hope").
def words(block: str) -> list[str]:
    return block.split()


WORD_NAMES = words(
    "Will Grace Hope Faith Joy Mark Bill Frank Rose Amber Sunny Dawn Holly Ivy Poppy Daisy "
    "Heather Ruby Pearl Violet Lily Hazel Ray Dean Pat Sue Sandy Jack Max Penny April May June "
    "Patience Mercy Precious Blessing Comfort"
)

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'\-]+")


@dataclass
class Pool:
    first: list[str]
    surnames: list[str]


def name_pools() -> dict[str, Pool]:
    pools: dict[str, Pool] = {}
    for origin, (_, locales) in ORIGINS.items():
        first: set[str] = set()
        surnames: set[str] = set()
        for locale in locales:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
            for attribute in dir(provider):
                values = getattr(provider, attribute)
                if not isinstance(values, tuple | list | dict):
                    continue
                if attribute.startswith("first_name") or attribute == "first_romanized_names":
                    target = first
                elif "last_name" in attribute or attribute == "last_romanized_names":
                    target = surnames
                else:
                    continue
                target.update(str(value) for value in values if _LATIN.fullmatch(str(value)))
        bench_first, bench_surnames = BENCH_NAMES[origin]
        if origin == "caribbean":
            first = set()  # Caribbean first names from the list here, surnames from both
        first.update(bench_first.split())
        # Surnames of more than one word are written with "_" here: "Ó_Ceallaigh".
        surnames.update(surname.replace("_", " ") for surname in bench_surnames.split())
        pools[origin] = Pool(sorted(first), sorted(surnames))
    return pools


def held_out(pools: dict[str, Pool], percent: int) -> set[str]:
    """The names removed from the finder's gazetteer: a fixed share, by a hash of the name."""
    chosen: set[str] = set()
    for pool in pools.values():
        for name in pool.first + pool.surnames:
            for word in name.split():
                if zlib.crc32(key(word).encode()) % 100 < percent:
                    chosen.add(word)
    return chosen


# Templates -------------------------------------------------------------------------------
#
# Slots: {F} first name, {f} the same in lower case, {F_UPPER} in capitals, {L} surname, {l}
# lower case, {FL} first name and surname, {FI} first name and the initial of a surname, {Fs}
# first name with "'s" (not part of the gold span), {W} a name that is also a word, {T} a title
# (Dr, Mrs...), {SPK} a speaker label (a name), {NHS} a valid NHS number, {BADNHS} a ten-digit
# number with a wrong check digit, {PHONE}, {EMAIL}, {PC} postcode, {DOB} date of birth after a
# cue, {DATE} another date, {HOSP} a hospital, {CHARITY}, {TOWN}, {WARD}, {DRUG}, {MONTH},
# {DAY}. Name slots are gold "name" spans; the title is not part of the name.

DEV_TEMPLATES = [
    "Nurse {F} was so kind to me during my chemo.",
    "{T} {L} explained everything clearly and gave me time to ask questions.",
    "I would like to thank {T} {FL} and the whole team on {WARD}.",
    "My husband {F} came to every appointment with me.",
    "Our daughter {F} drove me to {HOSP} every week.",
    "The consultant, {T} {L}, was very abrupt with my wife.",
    "{F} on reception was lovely and found me a wheelchair.",
    "Special thanks to {F} and {F} who made the stay bearable.",
    "{FL} from the chemo unit rang me at home to check I was ok.",
    "My name is {F} and I was diagnosed in {MONTH}.",
    "A nurse called {F} held my hand during the biopsy.",
    "{Fs} explanation of the side effects was really clear.",
    "I spoke to {F} about parking and she sorted it straight away.",
    "nurse {f} was brilliant, thank u",
    "dr {l} was rushed and didnt listen",
    "Sister {L} runs a tight ship, the ward was spotless.",
    "My NHS number is {NHS} but the letter had the wrong one.",
    "They wrote {BADNHS} on the form, which is not my NHS number.",
    "You can ring me on {PHONE} any time after 2pm.",
    "Please email me at {EMAIL} with the results.",
    "I live at {PC}, so {HOSP} is a long way to travel.",
    "DOB {DOB}, seen in clinic on {DATE}.",
    "I was born on {DOB} and have had three lots of treatment.",
    "Contact: {FL}, {PHONE}, {EMAIL}",
    "Patient {FL}, NHS no. {NHS}, date of birth {DOB}.",
    "My mum {W} was looked after brilliantly.",
    "Our grandson {W} made the cards for the nurses.",
    "Thank you {W} for the cups of tea!",
    "Interviewer: How did you find the waiting times?\n{SPK}: Long, to be honest.\n"
    "{SPK}: I agree, especially at {HOSP}.",
    "Facilitator: What could be better?\n{SPK}: Parking. And the letters.",
    "{SPK}: My consultant was {T} {L} and she was great.\nFacilitator: Thank you.",
    "The {DRUG} made me very tired but {F} gave me good advice.",
    "I will always be grateful for the care I had.",
    "We hope the new car park opens soon.",
    "Will someone please look at the parking charges?",
    "May I say how kind everyone was.",
    "The staff at {HOSP} were wonderful.",
    "{CHARITY} helped us with a grant for the heating bill.",
    "We had a sunny day for the walk and raised money for {CHARITY}.",
    "I was moved to {WARD} on {DAY} night.",
    "I live in {TOWN} and the bus takes two hours.",
    "My treatment started in {MONTH} and finished in {MONTH}.",
    "The Consultant and the Registrar both saw me.",
    "Matron came round and sorted the complaint.",
    "Ward sister was helpful.",
    "By the grace of God I am still here.",
    "Hope this feedback helps.",
    "To be frank the food was poor.",
    "Mark my words, this hospital is the best.",
    "The bill for parking came to £40 over the month.",
    "I took {DRUG} every morning for six months.",
    "Clinic number {BADNHS} was on the letter.",
    "Appointment on {DATE} at 10:30, room 4.",
    "Bath time was hard after the operation.",
    "My sister came with me to {HOSP} and stayed overnight.",
    "The nurses were lovely, the doctors too.",
    "Joy and relief when the scan was clear.",
    "Faith in the NHS restored.",
    # A second group, written as the first evaluation set; its errors were then studied and the
    # rules changed, so it counts as development material.
    "Everyone on {WARD} was great but {F} went above and beyond.",
    "I was seen by {T} {L} who told me the news gently.",
    "When I rang, {FL} answered and booked me in for the next day.",
    "My wife {F} and I both felt listened to.",
    "Thanks again to {FL}, the specialist nurse, for everything.",
    "{F} and {F} on the day unit were fantastic with my dad.",
    "Please pass my thanks to {T} {FL} at {HOSP}.",
    "my son {f} came with me and they let him stay",
    "Can you tell {F} that the dressing is healing well?",
    "I was looked after by {F} in recovery and she was amazing.",
    "The radiographer ({F}) talked me through each step.",
    "{F} explained the plan and wrote it down for me.",
    "Our neighbour {FL} gave me lifts when my husband was working.",
    "{Fs} kindness made a terrible week a little easier.",
    "Support worker {F} helped me fill in the benefits form.",
    "i asked for {f} because she knew my history",
    "prof {l} was very thorough",
    "Mr {L} (surgeon) and his team were superb.",
    "Every nurse was good, {F} especially, and {F} on nights.",
    "I would ask that {F} is thanked by her manager.",
    "My partner, {F}, wants to join the carers group.",
    "From {FL}: the food on the ward needs to improve.",
    "Hi, this is {F}, I was on the ward last month.",
    "The doctor said to call {T} {L}'s secretary, but nobody answers.",
    "NHS number: {NHS}",
    "My hospital number is {BADNHS}, not my NHS number {NHS}.",
    "Ref {BADNHS} on the letter.",
    "Best number to reach me is {PHONE}.",
    "Mobile {PHONE} or landline {PHONE}.",
    "Send the leaflet to {EMAIL} please.",
    "Email {EMAIL} or ring {PHONE}.",
    "Address: 4 Mill Lane, {TOWN}, {PC}.",
    "Postcode {PC}.",
    "D.O.B. {DOB}",
    "Date of birth: {DOB}. NHS number {NHS}.",
    "She was born {DOB}, the week my father died.",
    "I asked my granddaughter {W} to fill this in for me.",
    "We named the garden after our friend {W}.",
    "Nurse {W} always had a smile.",
    "{W} from the cancer support centre was a great help.",
    "Interviewer: Tell me about your first appointment.\n{SPK}: It was at {HOSP}. The "
    "consultant was kind.\nInterviewer: And afterwards?\n{SPK}: I rang the nurse line.",
    "Facilitator: Who would like to start?\n{SPK}: I will. My story starts in {MONTH}.\n"
    "{SPK}: Mine too.",
    "{SPK}: I just want the letters to come on time.\n{SPK}: Same. I had three different "
    "dates for one scan.",
    "Moderator: Any last thoughts?\n{SPK}: Thank you {F} for organising this.",
    "The waiting room at {HOSP} was cold and there was nowhere to sit.",
    "I was referred to {CHARITY} and they were brilliant.",
    "{CHARITY} nurses came to the house twice a week.",
    "The drive from {TOWN} to {HOSP} takes over an hour.",
    "I was on {WARD} for nine days after surgery.",
    "{DRUG} gave me terrible mouth ulcers.",
    "I started {DRUG} in {MONTH}.",
    "Clinic on {DAY} was running two hours late.",
    "Will there be a follow-up call?",
    "Hope is what got me through it.",
    "We will be forever grateful.",
    "Grace and dignity were shown to my mother at the end.",
    "It was a frank conversation and I appreciated it.",
    "May was a blur of appointments.",
    "The rose garden outside the unit is lovely.",
    "Sunny weather helped with the walks.",
    "We waited in the amber zone for an hour.",
    "The Sister on duty was firm but fair.",
    "A Macmillan nurse phoned after the diagnosis.",
    "The specialist nurse, the consultant and the dietitian all saw me.",
    "The chaplain visited on {DAY}.",
    "I was seen on {DATE} and again on {DATE}.",
    "Card number {BADNHS} was declined in the shop.",
    "Room 12, bay 3, bed 4.",
    "The cost was £25 for parking.",
    "Very good service.",
    "Excellent Care From All The Staff On The Unit",
    "THANK YOU ALL SO MUCH, ESPECIALLY {F_UPPER}",
]


# A third group, written as the second evaluation set, with its own values below. Its errors too
# were studied after its first run and the rules changed, so it is development material now.
THIRD_TEMPLATES = [
    "Can I just say that {F} in the discharge lounge was a star.",
    "{T} {L} phoned me herself with the results, which I really appreciated.",
    "I have been under {T} {FL} for six years now.",
    "The letter was signed by {FL}, Macmillan Information Officer.",
    "My brother {F} and his wife {F} took turns staying with me.",
    "{F} (physio) got me walking again after the operation.",
    "We would like {F} to know how much she helped our family.",
    "Nobody told us anything until {F} came on shift.",
    "I asked to speak to the ward manager, {FL}, but was told she was busy.",
    "{F} and the rest of the night staff were so patient with Mum.",
    "my daughter {f} set up the online portal for me",
    "the nurse who did my bloods, {f} i think, was very gentle",
    "{FL} is my keyworker and she always rings back.",
    "Please could {T} {L} send a copy to my GP?",
    "I was introduced to {F}, who runs the support group on Thursdays.",
    "Best wishes to {F}, {F} and all at the unit.",
    "Our son {F} was diagnosed at 19 and {F} from the teenage unit was amazing.",
    "My late husband {FL} was treated here in 2019.",
    "{Fs} mum was on the same ward, so we kept each other going.",
    "In clinic {T} {L} and a student saw me together.",
    "Ask for {F} at the front desk, she knows where everything is.",
    "We were seen by a locum, {T} {L}, who had not read my notes.",
    "{FI}. was the nurse in charge that night.",
    "I'm {F}, I've been a carer for my wife for three years.",
    "Sorry to hear {F} has left the team, she was brilliant.",
    "Re: complaint about {T} {FL}",
    "Dear {F},\nThank you for the flowers.\nLove, {F}",
    "My number is {PHONE}, or my son's is {PHONE}.",
    "Text me on {PHONE}.",
    "I gave the receptionist my NHS number ({NHS}) twice.",
    "Reference: {BADNHS}",
    "Account number {BADNHS}, sort code 20-00-00.",
    "Her email is {EMAIL} and she is happy to be contacted.",
    "For the group, contact {EMAIL}.",
    "We moved to {PC} last year.",
    "Home address {PC}, {TOWN}.",
    "Patient DOB: {DOB}.",
    "My mother (date of birth {DOB}) was admitted on {DATE}.",
    "I was born in {TOWN} on {DOB}.",
    "NHS No {NHS}, DOB {DOB}, tel {PHONE}",
    "Participant: {SPK}\nAge: 64\nComment: The car park is too small.",
    "Q: What went well?\n{SPK}: The nurses.\nQ: What could improve?\n{SPK}: Communication "
    "between wards.",
    "Researcher: So you were on your own?\n{SPK}: Yes, my husband {F} was working away.",
    "{SPK}: It was {T} {L} who finally listened.\n{SPK}: Same for me, honestly.",
    "[{SPK}] I didn't know who to ask.\n[{SPK}] There was a leaflet but nobody gave it to us.",
    "{SPK}: I'd like to thank {F} on reception, every time she remembered my name.",
    "I will write again if things do not improve.",
    "Hope you can use this feedback.",
    "Will the new unit have more parking?",
    "We live in hope that the waiting lists come down.",
    "Frank advice from the surgeon was what I needed.",
    "The grace period for the parking permit was too short.",
    "Mark the appointment on the calendar, they said.",
    "The rose bushes by the entrance were a nice touch.",
    "The nurses were a joy to deal with.",
    "My faith kept me going, and my family.",
    "I was transferred from {HOSP} to {HOSP} for surgery.",
    "{HOSP} is miles better than it used to be.",
    "We stayed at the {CHARITY} centre for a few nights.",
    "{CHARITY} funded a support worker for the clinic.",
    "Treatment on {WARD} was excellent.",
    "The parking at {HOSP} is a nightmare.",
    "Driving from {TOWN} every day for radiotherapy was exhausting.",
    "I have been on {DRUG} since {MONTH}.",
    "{DRUG} side effects were explained well.",
    "The pharmacist explained how to take {DRUG}.",
    "The CNS and the Macmillan nurse both rang on {DAY}.",
    "Staff Nurse on nights was fantastic.",
    "The Registrar was lovely but the Consultant seemed rushed.",
    "I saw the consultant on {DATE} and the registrar on {DATE}.",
    "Bay 4 was noisy all night.",
    "Waited 3 hours in A&E before getting a bed.",
    "Good.",
    "All Staff Were Very Kind And Helpful Thank You",
    "SARAH ON WARD 5 WAS BRILLIANT THANK YOU",
]


# The evaluation set: written last, after the rules were settled, and run as it stands.
EVAL_TEMPLATES = [
    "Just wanted to say {F} on the assessment unit made a horrible night bearable.",
    "{T} {L} took the time to draw a diagram of the operation for me.",
    "We were referred to {T} {FL} in the breast clinic.",
    "My mum {F} has dementia and the staff were very patient with her.",
    "When {F} took my bloods she chatted the whole time, which took my mind off it.",
    "The doctor, {T} {L}, spoke to my husband as if I was not there.",
    "{F} and {F} from the acute oncology team came to see me on the ward.",
    "I'd like to mention {FL} who works in the cancer information centre.",
    "Not one person introduced themselves apart from {F}.",
    "I have nothing but praise for {T} {L} and the theatre team.",
    "Both {T} {L} and {T} {L} gave me the same answer, which was reassuring.",
    "our grandson {f} comes with me now because I can't drive",
    "a lady called {f} phoned about my transport, she was lovely",
    "{Fs} husband was on the same ward as my dad.",
    "The best part of my week was chatting to {F} in the day unit.",
    "{F} is the reason I kept going with treatment.",
    "My wife, {FL}, is my main carer.",
    "I wish to complain about the attitude of {T} {FL} on {DATE}.",
    "{F} (the healthcare assistant) was gentle and kind.",
    "Many thanks to {F}, {F} and {F} for looking after me.",
    "I was told to ring {F} on the helpline if I had a temperature.",
    "The receptionist {F} was having a bad day, I think.",
    "On {DAY} {F} stayed past the end of her shift to finish my paperwork.",
    "You should promote {F}!",
    "I'm {FL}, the patient representative on the group.",
    "Our friend {FL} from church drove us to appointments.",
    "My daughter-in-law {F} came to the first appointment with me.",
    "I was born on {DOB} and I have never been so well looked after.",
    "DOB {DOB} / NHS {NHS}",
    "Can someone call me back on {PHONE} please?",
    "Tel: {PHONE}  Email: {EMAIL}",
    "My old NHS number was {NHS} but I think it changed.",
    "The wristband said {BADNHS}, which is not my number.",
    "Order number {BADNHS} for the wig.",
    "I moved from {PC} to be nearer my daughter.",
    "Post it to {PC} please.",
    "email: {EMAIL}",
    "Date of birth {DOB}, ward {WARD}.",
    "Facilitator: Could you each say who you care for?\n{SPK}: My husband, {F}.\n{SPK}: My mum.",
    "{SPK}: The first appointment was a blur.\n{SPK}: Mine too. {T} {L} was kind though.",
    "Interviewer: Did anyone explain the side effects?\n{SPK}: Not really. I read the "
    "leaflet.\nInterviewer: And the nurse?\n{SPK}: {F} rang me the next week.",
    "[{SPK}] We waited four hours.\n[{SPK}] That happened to me as well.",
    "Chair: Welcome everyone.\n{SPK}: Thanks for having us.",
    "I will recommend this hospital to anyone.",
    "Hope to see the changes soon.",
    "We hope the new building opens on time.",
    "Will anyone read this?",
    "May I suggest better signs in the car park.",
    "I am full of joy that the treatment worked.",
    "Grace under pressure is how I would describe the nurses.",
    "Be frank with patients, we can take it.",
    "The bill for the television was ridiculous.",
    "There was a mark on my arm from the cannula for weeks.",
    "I have faith in this team.",
    "The amber light on the drip kept beeping.",
    "A sunny room makes all the difference.",
    "I was treated at {HOSP} and then at {HOSP}.",
    "{HOSP} were quick to get me in.",
    "Thank you to everyone at {HOSP}.",
    "The {CHARITY} nurse gave me her direct number.",
    "I go to the {CHARITY} group every month.",
    "I was on {WARD} for a week.",
    "{WARD} needs more staff at night.",
    "I travel from {TOWN} for my radiotherapy.",
    "My family live in {TOWN}.",
    "I have been taking {DRUG} for two years.",
    "{DRUG} gave me hot flushes.",
    "The Sister and the Staff Nurse both apologised.",
    "Matron was very helpful when I complained.",
    "The Oncologist explained the plan.",
    "I saw the consultant in {MONTH}.",
    "Appointment moved from {DATE} to {DATE} without telling me.",
    "Everything was excellent, thank you.",
    "Clean Ward Friendly Staff Good Food",
    "THANK YOU TO THE NURSES ON THE DAY UNIT",
]

EVAL_VALUES = {
    "HOSP": [
        "Leeds General Infirmary",
        "the Royal Derby",
        "Northwick Park",
        "the Walton Centre",
        "Hull Royal Infirmary",
        "Salisbury District Hospital",
        "the Royal United Hospital",
        "Torbay Hospital",
        "the John Radcliffe",
        "Darent Valley",
        "William Harvey Hospital",
        "the Royal Gwent",
        "Morriston Hospital",
        "Ulster Hospital",
        "Forth Valley Royal",
        "Victoria Hospital Kirkcaldy",
        "St George's",
        "King's College Hospital",
        "Frenchay",
        "Basildon",
        "the Countess of Chester",
        "Macclesfield District General",
        "Furness General",
        "Lincoln County",
        "Pilgrim Hospital",
        "Rotherham General",
    ],
    "CHARITY": [
        "Macmillan",
        "Maggie's",
        "Marie Curie",
        "Tenovus",
        "Cancer Research UK",
        "Bowel Cancer UK",
        "Kidney Cancer UK",
        "Anthony Nolan",
        "Teenage Cancer Trust",
        "Breast Cancer Now",
        "Prostate Cancer Research",
        "Myeloma UK",
        "Sarcoma UK",
    ],
    "TOWN": [
        "Halifax",
        "Dewsbury",
        "Batley",
        "Holmfirth",
        "Otley",
        "Pudsey",
        "Garforth",
        "Thirsk",
        "Malton",
        "Skipton",
        "Kirkby",
        "Ripley",
        "Alfreton",
        "Matlock",
        "Whitley",
        "Pontefract",
        "Sidmouth",
        "Tiverton",
        "Camborne",
        "Redruth",
        "Lisburn",
        "Kirkwall",
    ],
    "WARD": [
        "Ward 9",
        "Ward 22",
        "Ward F4",
        "Lavender Ward",
        "Jasmine Ward",
        "Poppy Ward",
        "Bluebell Ward",
        "Cavell Ward",
        "Nuffield Ward",
        "Marjorie Ward",
        "the Maple Unit",
        "the day unit",
        "Ward 3B",
    ],
    "DRUG": [
        "Zoladex",
        "Tamoxifen",
        "Capecitabine",
        "Verzenios",
        "Kisqali",
        "Lynparza",
        "Opdivo",
        "Tecentriq",
        "Erivedge",
        "Sutent",
        "Votrient",
        "Inlyta",
        "Cabometyx",
        "bicalutamide",
        "docetaxel",
        "FOLFOX",
    ],
}

TITLES = ["Dr", "Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Prof", "Professor"]

HOSPITALS = [
    "the Christie",
    "St James's University Hospital",
    "the Royal Marsden",
    "Weston Park",
    "Velindre",
    "the Beatson",
    "Clatterbridge",
    "Addenbrooke's",
    "the Queen Elizabeth Hospital",
    "James Cook University Hospital",
    "the Freeman",
    "Ninewells",
    "Guy's",
    "Mount Vernon",
    "Derriford",
    "the Royal Victoria Infirmary",
    "Musgrove Park Hospital",
    "the Churchill Hospital",
    "Wexham Park Hospital",
    "Russells Hall Hospital",
    "Pinderfields",
    "Airedale",
    "Stepping Hill",
    "Kettering General",
    "the Lister Hospital",
    "the Princess of Wales Hospital",
    "Queen Alexandra Hospital",
    "Arrowe Park",
    "George Eliot Hospital",
    "the Alexandra Hospital",
    "Leighton Hospital",
    "Conquest Hospital",
]
CHARITIES = [
    "Macmillan",
    "Maggie's",
    "Marie Curie",
    "Sue Ryder",
    "Penny Brohn",
    "Tenovus",
    "Cancer Research UK",
    "Prostate Cancer UK",
    "Breast Cancer Now",
    "the Haven",
    "Shine Cancer Support",
    "Trekstock",
    "Dimbleby Cancer Care",
    "Harry's Hope",
]
TOWNS = [
    "Bath",
    "Chester",
    "Preston",
    "Barry",
    "Leeds",
    "Stockport",
    "Carlisle",
    "Luton",
    "Bolton",
    "Kendal",
    "Whitby",
    "Derby",
    "Lincoln",
    "Hastings",
    "Bradford",
    "Swansea",
    "Wrexham",
    "Stirling",
    "Omagh",
    "Newry",
    "Ely",
    "Sutton",
    "Darlington",
    "Harlow",
]
WARDS = [
    "Ward 5",
    "Ward 12",
    "Rose Ward",
    "Nightingale Ward",
    "Bevan Ward",
    "Victoria Ward",
    "the Jasmine Unit",
    "Ward 31",
    "Oak Ward",
    "the Bexley Wing",
    "Ward J14",
    "Ash Ward",
    "Florence Ward",
    "Lilac Ward",
    "ward 8",
]
DRUGS = [
    "Tamoxifen",
    "Herceptin",
    "letrozole",
    "Zoladex",
    "capecitabine",
    "Keytruda",
    "docetaxel",
    "Oramorph",
    "dexamethasone",
    "Anastrozole",
    "FEC",
    "Avastin",
    "Zometa",
    "Lenalidomide",
]
THIRD_VALUES = {
    "HOSP": [
        "the Royal Stoke",
        "Blackpool Victoria",
        "the Royal Preston",
        "Castle Hill Hospital",
        "Southmead",
        "the Royal Surrey",
        "Ipswich Hospital",
        "Cheltenham General",
        "the Nuffield",
        "Glenfield",
        "the Cumberland Infirmary",
        "Royal Bolton",
        "Tameside General",
        "the Horton",
        "Hereford County Hospital",
        "Bronglais",
        "Glangwili",
        "Withybush",
        "Antrim Area Hospital",
        "the Mater",
        "Aberdeen Royal Infirmary",
        "Sandwell General",
        "Good Hope Hospital",
        "Heartlands",
        "Charing Cross",
        "University College Hospital",
        "the Rosie",
        "Queen Elizabeth University Hospital",
        "Gartnavel",
        "the Princess Alexandra",
    ],
    "CHARITY": [
        "Macmillan",
        "Maggie's",
        "Bloodwise",
        "Lymphoma Action",
        "Target Ovarian Cancer",
        "Pancreatic Cancer UK",
        "Jo's Trust",
        "the Brain Tumour Charity",
        "Leukaemia Care",
        "Mummy's Star",
        "Young Lives vs Cancer",
        "Orchid",
        "Ellen's Hope",
        "Hope Against Cancer",
    ],
    "TOWN": [
        "Bury",
        "Wakefield",
        "Shirley",
        "Stanley",
        "Jarrow",
        "Hebden Bridge",
        "Morley",
        "Keighley",
        "Ilkley",
        "Louth",
        "Bangor",
        "Neath",
        "Penrith",
        "Barnstaple",
        "Leigh",
        "Ashton",
        "Winsford",
        "Clayton",
        "Chelsea",
        "Beverley",
        "Hexham",
        "Consett",
    ],
    "WARD": [
        "Ward 7",
        "Ward C3",
        "Daisy Ward",
        "Primrose Ward",
        "Seacole Ward",
        "Churchill Ward",
        "Harvey Ward",
        "the Hazel Suite",
        "Beech Ward",
        "Ward 21",
        "Fleming Ward",
        "the Lister Unit",
        "Holly Ward",
        "the Teenage Cancer Trust unit",
    ],
    "DRUG": [
        "Tagrisso",
        "abiraterone",
        "Zytiga",
        "Ibrance",
        "paclitaxel",
        "Xeloda",
        "carboplatin",
        "Kadcyla",
        "Enhertu",
        "Lonsurf",
        "Imbruvica",
        "Revlimid",
        "Femara",
        "Faslodex",
        "fulvestrant",
        "Avastin",
    ],
}

MONTHS = words(
    "January February March April May June July August September October November December"
)
DAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")


def nhs_number(rng: random.Random, valid: bool) -> str:
    while True:
        nine = "".join(str(rng.randint(0, 9)) for _ in range(9))
        nine = str(rng.randint(1, 9)) + nine[1:]
        total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check == 10:
            continue
        digit = check if valid else (check + rng.randint(1, 9)) % 10
        if not valid and digit == check:
            continue
        number = nine + str(digit)
        return rng.choice(
            [
                number,
                f"{number[:3]} {number[3:6]} {number[6:]}",
                f"{number[:3]}-{number[3:6]}-{number[6:]}",
            ]
        )


def phone_number(rng: random.Random) -> str:
    mobile = "7" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    area = rng.choice(["113", "161", "121", "114", "117", "131", "141", "151", "191", "1632"])
    local = "".join(str(rng.randint(0, 9)) for _ in range(10 - len(area)))
    london = "20" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    free = rng.choice(["800", "300", "345"]) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return rng.choice(
        [
            f"0{mobile}",
            f"0{mobile[:4]} {mobile[4:]}",
            f"0{mobile[:4]} {mobile[4:7]} {mobile[7:]}",
            f"+44 {mobile[:4]} {mobile[4:]}",
            f"+44{mobile}",
            f"+44 (0){mobile[:4]} {mobile[4:]}",
            f"0{mobile[:4]}-{mobile[4:]}",
            f"(0{area}) {local[:3]} {local[3:]}" if len(area) == 3 else f"(0{area}) {local}",
            f"0{area} {local[:3]} {local[3:]}" if len(area) == 3 else f"0{area} {local}",
            f"0{area}-{local[:3]}-{local[3:]}" if len(area) == 3 else f"0{area}-{local}",
            f"0{london[:2]} {london[2:6]} {london[6:]}",
            f"+44 {london[:2]} {london[2:6]} {london[6:]}",
            f"0{free[:3]} {free[3:6]} {free[6:]}",
        ]
    )


def email_address(rng: random.Random, first: str, surname: str) -> str:
    first_ascii = re.sub(r"[^a-z]", "", key(first))
    surname_ascii = re.sub(r"[^a-z]", "", key(surname)) or "smith"
    first_ascii = first_ascii or "sam"
    local = rng.choice(
        [
            f"{first_ascii}.{surname_ascii}",
            f"{first_ascii[0]}{surname_ascii}",
            f"{first_ascii}{rng.randint(1, 99)}",
            f"{first_ascii.capitalize()}.{surname_ascii.capitalize()}",
            f"{surname_ascii}_{first_ascii[0]}",
        ]
    )
    domain = rng.choice(
        [
            "nhs.net",
            "example.org",
            "example.com",
            "btinternet.com",
            "mail.example.co.uk",
            "patients.example.nhs.uk",
            "hotmail.co.uk",
            "gmail.com",
        ]
    )
    return f"{local}@{domain}"


def postcode(rng: random.Random) -> str:
    outward = rng.choice(
        [
            "LS1",
            "LS17",
            "M20",
            "B15",
            "SW1A",
            "EH3",
            "CF14",
            "BT9",
            "S10",
            "NE7",
            "BS2",
            "G12",
            "PL6",
            "TR1",
            "OX3",
            "CB2",
            "L7",
            "HU3",
            "W1G",
            "EC1A",
            "N19",
            "SE1",
            "DN2",
            "TS4",
        ]
    )
    inward = f"{rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    code = rng.choice([f"{outward} {inward}", f"{outward}{inward}", f"{outward} {inward}"])
    return code.lower() if rng.random() < 0.1 else code


def birth_date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1935, 1995)
    return rng.choice(
        [
            f"{day:02d}/{month:02d}/{year}",
            f"{day}/{month}/{year}",
            f"{day:02d}.{month:02d}.{year}",
            f"{day}-{month}-{year % 100:02d}",
            f"{day} {MONTHS[month - 1]} {year}",
            f"{day}{'th' if day not in (1, 2, 3, 21, 22, 23) else {1: 'st', 2: 'nd', 3: 'rd', 21: 'st', 22: 'nd', 23: 'rd'}[day]} {MONTHS[month - 1]} {year}",
            f"{day} {MONTHS[month - 1][:3]} {year}",
        ]
    )


def other_date(rng: random.Random) -> str:
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return rng.choice(
        [
            f"{day:02d}/{month:02d}/2025",
            f"{day}/{month}/24",
            f"{day} {MONTHS[month - 1]}",
            f"{day}.{month}.2025",
        ]
    )


@dataclass
class Gold:
    kind: str
    start: int
    end: int
    origin: str = ""


@dataclass
class Example:
    text: str
    gold: list[Gold]
    template: int


class Filler:
    def __init__(self, pools: dict[str, Pool], seed: int) -> None:
        self.pools = pools
        self.values: dict[str, list[str]] = {}
        self.rng = random.Random(seed)
        self.origins = list(ORIGINS)
        self.weights = [ORIGINS[origin][0] for origin in self.origins]

    def person(self) -> tuple[str, str, str]:
        origin = self.rng.choices(self.origins, self.weights)[0]
        pool = self.pools[origin]
        return self.rng.choice(pool.first), self.rng.choice(pool.surnames), origin

    def fill(self, template: str, number: int) -> Example:
        rng = self.rng
        parts: list[str] = []
        gold: list[Gold] = []
        position = 0
        last_person: tuple[str, str, str] | None = None

        def add(
            text: str,
            kind: str | None = None,
            origin: str = "",
            gold_part: tuple[int, int] | None = None,
        ) -> None:
            nonlocal position
            if kind is not None:
                start, end = gold_part or (0, len(text))
                gold.append(Gold(kind, position + start, position + end, origin))
            parts.append(text)
            position += len(text)

        for piece in re.split(r"(\{\w+\})", template):
            if not (piece.startswith("{") and piece.endswith("}")):
                add(piece)
                continue
            slot = piece[1:-1]
            if slot in ("F", "f", "L", "l", "FL", "Fs", "SPK", "F_UPPER", "FI"):
                first, surname, origin = self.person()
                last_person = (first, surname, origin)
                if slot == "F":
                    add(first, "name", origin)
                elif slot == "f":
                    add(first.lower(), "name", origin)
                elif slot == "F_UPPER":
                    add(first.upper(), "name", origin)
                elif slot == "L":
                    add(surname, "name", origin)
                elif slot == "l":
                    add(surname.lower(), "name", origin)
                elif slot == "FL":
                    add(f"{first} {surname}", "name", origin)
                elif slot == "FI":
                    add(f"{first} {surname[0]}", "name", origin)
                elif slot == "Fs":
                    add(f"{first}'s", "name", origin, (0, len(first)))
                else:
                    label = rng.choice(
                        [first, first, f"{first} {surname}", f"{first} {surname[0]}"]
                    )
                    add(label, "name", origin)
            elif slot == "W":
                add(rng.choice(WORD_NAMES), "name", "word")
            elif slot == "T":
                add(rng.choice(TITLES))
            elif slot == "NHS":
                add(nhs_number(rng, valid=True), "nhs_number")
            elif slot == "BADNHS":
                add(nhs_number(rng, valid=False))
            elif slot == "PHONE":
                add(phone_number(rng), "phone")
            elif slot == "EMAIL":
                first, surname, _ = last_person or self.person()
                add(email_address(rng, first, surname), "email")
            elif slot == "PC":
                add(postcode(rng), "postcode")
            elif slot == "DOB":
                add(birth_date(rng), "date_of_birth")
            elif slot == "DATE":
                add(other_date(rng))
            elif slot in self.values:
                add(rng.choice(self.values[slot]))
            elif slot == "MONTH":
                add(rng.choice(MONTHS))
            elif slot == "DAY":
                add(rng.choice(DAYS))
            else:
                raise ValueError(f"unknown slot {slot}")
        return Example("".join(parts), gold, number)


DEV_VALUES = {
    "HOSP": HOSPITALS,
    "CHARITY": CHARITIES,
    "TOWN": TOWNS,
    "WARD": WARDS,
    "DRUG": DRUGS,
}


Values = dict[str, list[str]]
SETS: dict[str, list[tuple[str, Values]]] = {
    "dev": [(t, DEV_VALUES) for t in DEV_TEMPLATES] + [(t, THIRD_VALUES) for t in THIRD_TEMPLATES],
    "eval": [(t, EVAL_VALUES) for t in EVAL_TEMPLATES],
}


def build(
    templates: list[tuple[str, Values]], count: int, pools: dict[str, Pool], seed: int
) -> list[Example]:
    filler = Filler(pools, seed)
    examples = []
    for index in range(count):
        number = index % len(templates)
        template, values = templates[number]
        filler.values = values
        examples.append(filler.fill(template, number))
    filler.rng.shuffle(examples)
    return examples


# Scoring ---------------------------------------------------------------------------------


@dataclass
class Tally:
    gold: int = 0
    found: int = 0  # gold covered by one detected span
    exact_found: int = 0
    detected: int = 0
    correct: int = 0  # detected overlapping a gold span
    exact_correct: int = 0


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(
    examples: list[Example], finder: NameFinder, errors: int = 0
) -> tuple[dict[str, Tally], dict[str, list[int]], dict[str, list[int]], list[str]]:
    """Per kind tallies; name recall by gazetteer membership and origin; rule precision."""
    tallies = {kind: Tally() for kind in KINDS}
    membership: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rules: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    shown: list[str] = []
    for example in examples:
        text = example.text
        found = find_identifiers(text)
        detections = finder.detect(text, ignore=found)
        spans = combine(found, [d.span for d in detections])
        rule_of = {(d.span.start, d.span.end): d.rule for d in detections}
        missed: list[str] = []
        wrong: list[str] = []
        for kind in KINDS:
            gold = [g for g in example.gold if g.kind == kind]
            found = [s for s in spans if s.kind == kind]
            tally = tallies[kind]
            tally.gold += len(gold)
            tally.detected += len(found)
            for g in gold:
                covered = any(s.start <= g.start and s.end >= g.end for s in found)
                tally.found += covered
                tally.exact_found += any(s.start == g.start and s.end == g.end for s in found)
                if kind == "name":
                    words = [
                        key(w)
                        for w in re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", text[g.start : g.end])
                    ]
                    inside = all(finder.knows(w) for w in words)
                    for group in (
                        "in gazetteer" if inside else "not in gazetteer",
                        f"origin: {g.origin}",
                    ):
                        membership[group][0] += 1
                        membership[group][1] += covered
                if not covered:
                    missed.append(f"{kind}:{text[g.start : g.end]!r}")
            for s in found:
                correct = any(s.start < g.end and g.start < s.end for g in gold)
                tally.correct += correct
                tally.exact_correct += any(s.start == g.start and s.end == g.end for g in gold)
                if kind == "name":
                    rule = rule_of.get((s.start, s.end), "?")
                    rules[rule][0] += 1
                    rules[rule][1] += correct
                if not correct:
                    wrong.append(f"{kind}:{text[s.start : s.end]!r}")
        if (missed or wrong) and len(shown) < errors:
            shown.append(f"{text!r}\n    missed {missed}\n    wrong  {wrong}")
    return tallies, membership, rules, shown


def table(tallies: dict[str, Tally]) -> tuple[str, dict[str, Any]]:
    lines = [
        "| kind | support | detected | precision | recall | F1 | exact P | exact R | exact F1 | bar |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
    ]
    results: dict[str, Any] = {}
    for kind, t in tallies.items():
        p, r = ratio(t.correct, t.detected), ratio(t.found, t.gold)
        ep, er = ratio(t.exact_correct, t.detected), ratio(t.exact_found, t.gold)
        bar = BARS.get(kind)
        met = "n/a" if bar is None else ("yes" if r >= bar and p >= 0.90 else "**no**")
        if bar is None and t.gold:
            met = "n/a (P>=0.90: " + ("yes" if p >= 0.90 else "no") + ")"
        lines.append(
            f"| {kind} | {t.gold} | {t.detected} | {p:.3f} | {r:.3f} | {f1(p, r):.3f} | "
            f"{ep:.3f} | {er:.3f} | {f1(ep, er):.3f} | {met} |"
        )
        results[kind] = {
            "support": t.gold,
            "detected": t.detected,
            "precision": p,
            "recall": r,
            "f1": f1(p, r),
            "exact_precision": ep,
            "exact_recall": er,
            "exact_f1": f1(ep, er),
        }
    return "\n".join(lines), results


# Throughput ------------------------------------------------------------------------------

_WORKER_TEXTS: list[str] = []


def _work(bounds: tuple[int, int]) -> int:
    from coproduce.analysis.pseudonymise import find_all

    found = 0
    for text in _WORKER_TEXTS[bounds[0] : bounds[1]]:
        found += len(find_all(text))
    return found


def throughput(texts: list[str], processes: int) -> dict[str, float]:
    from coproduce.analysis.pseudonymise import find_all

    names_module.default_finder()
    characters = sum(len(t) for t in texts)
    sample = texts[: min(len(texts), 50_000)]
    started = time.perf_counter()
    for text in sample:
        find_all(text)
    one = time.perf_counter() - started
    sample_characters = sum(len(t) for t in sample)
    started = time.perf_counter()
    for text in sample:
        names_module.find(text)
    names_only = time.perf_counter() - started
    _WORKER_TEXTS[:] = texts
    chunk = 5_000
    bounds = [(start, min(start + chunk, len(texts))) for start in range(0, len(texts), chunk)]
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(processes) as pool:
        sum(pool.map(_work, bounds))
    many = time.perf_counter() - started
    return {
        "one_process_comments_per_s": len(sample) / one,
        "one_process_chars_per_s": sample_characters / one,
        "names_only_comments_per_s": len(sample) / names_only,
        "processes": processes,
        "comments": len(texts),
        "characters": characters,
        "wall_s": many,
        "comments_per_s": len(texts) / many,
        "chars_per_s": characters / many,
        "million_comments_s": 1_000_000 / (len(texts) / many),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000, help="sentences per template set")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--holdout", type=int, default=20, help="percent of pool names unseen")
    parser.add_argument("--set", choices=["dev", "eval", "both"], default="both")
    parser.add_argument("--throughput", type=int, default=200_000, help="comments; 0 to skip")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--errors", type=int, default=0, help="show this many wrong examples")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    pools = name_pools()
    hidden = held_out(pools, args.holdout)
    finder = NameFinder(Gazetteer.default().without(hidden))
    print(
        f"Python {platform.python_version()}; seed {args.seed}; {args.holdout}% of the name "
        f"pool ({len(hidden):,} words) removed from the gazetteer for this run.\n"
    )
    results: dict[str, Any] = {"seed": args.seed, "holdout_percent": args.holdout, "sets": {}}
    sets = ["dev", "eval"] if args.set == "both" else [args.set]
    eval_texts: list[str] = []
    for name in sets:
        templates = SETS[name]
        # Each set has its own seed, so that it is the same whether run alone or with the other.
        seed = args.seed if name == "dev" else args.seed + 1
        examples = build(templates, args.n, pools, seed)
        if name == "eval" or not eval_texts:
            eval_texts = [e.text for e in examples]
        tallies, membership, rules, shown = score(examples, finder, args.errors)
        rendered, numbers = table(tallies)
        negatives = sum(1 for e in examples if not e.gold)
        print(
            f"### {name} templates ({len(templates)} templates, {len(examples):,} sentences, "
            f"{negatives:,} with nothing to find)\n"
        )
        print(rendered)
        print("\nName recall by group:\n\n| names | support | recall |\n|---|--:|--:|")
        for group in sorted(membership):
            total, found = membership[group]
            print(f"| {group} | {total} | {ratio(found, total):.3f} |")
        print("\nName detections by rule:\n\n| rule | detected | precision |\n|---|--:|--:|")
        for rule in sorted(rules, key=lambda r: -rules[r][0]):
            total, correct = rules[rule]
            print(f"| {rule} | {total} | {ratio(correct, total):.3f} |")
        print()
        for line in shown:
            print(line)
        results["sets"][name] = {
            "templates": len(templates),
            "sentences": len(examples),
            "negatives": negatives,
            "kinds": numbers,
            "name_recall_by_group": {
                g: {"support": t, "recall": ratio(f, t)} for g, (t, f) in membership.items()
            },
            "rules": {r: {"detected": t, "precision": ratio(c, t)} for r, (t, c) in rules.items()},
        }
    if args.throughput:
        texts = [eval_texts[i % len(eval_texts)] for i in range(args.throughput)]
        speed = throughput(texts, args.processes)
        results["throughput"] = speed
        print("### Throughput (`find_all`: every finder, as on import)\n")
        print("| | |\n|---|--:|")
        print(f"| comments (eval sentences, repeated) | {speed['comments']:,} |")
        print(f"| mean length (characters) | {speed['characters'] / speed['comments']:.0f} |")
        print(f"| one process: comments/s | {speed['one_process_comments_per_s']:,.0f} |")
        print(f"| one process: characters/s | {speed['one_process_chars_per_s']:,.0f} |")
        print(
            f"| one process, names only: comments/s | {speed['names_only_comments_per_s']:,.0f} |"
        )
        print(f"| {speed['processes']} processes: comments/s | {speed['comments_per_s']:,.0f} |")
        print(f"| {speed['processes']} processes: characters/s | {speed['chars_per_s']:,.0f} |")
        print(
            f"| {speed['processes']} processes: a million comments (s) | {speed['million_comments_s']:.0f} |"
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
