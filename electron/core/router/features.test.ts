import { describe, expect, it } from "vitest";
import { DENSE, extractFeatures, FEATURE_GROUPS, fnv1a, ngramsOf, splitOptions, tokenize } from "./features.js";

const HASH_BITS = 12;
const feature = (prompt: string, name: string, history?: { role: "user" | "assistant"; content: string }[]) => {
  const index = DENSE.findIndex((d) => d.name === name);
  expect(index).toBeGreaterThanOrEqual(0);
  return extractFeatures(prompt, history, { hashBits: HASH_BITS }).dense[index]!;
};

const MC = "Which of the following is NOT a prime?\nA. 2\nB. 3\nC. 9\nD. 11\nAnswer:";
const GSM =
  "Kylar went to the store to buy glasses. One glass costs $5, but every second glass costs only 60% of the price. Kylar wants to buy 16 glasses. How much does he need to pay for them?";

describe("router features", () => {
  it("tokenizes to lower-case words and number shapes", () => {
    expect(tokenize("Kylar paid $5.50 for 16 Glasses")).toEqual(["kylar", "paid", "$", "<numdec>", "for", "<num2>", "glasses"]);
    expect(tokenize("Ωμέγα 7 123")).toEqual(["ωμέγα", "<num1>", "<num3>"]);
  });

  it("splits multiple-choice options from the question", () => {
    const { stem, options } = splitOptions(MC);
    expect(stem).toBe("Which of the following is NOT a prime?");
    expect(options).toEqual(["2", "3", "9", "11"]);
    expect(splitOptions("Plan A. then plan B.").options).toEqual([]);
  });

  it("counts only capital-lettered options as multiple choice; a list lettered a), b) in a chat prompt is free-form", () => {
    const task = "Identify the countries and their capitals in the following sentences. Output in JSON.\na) Copenhagen is the capital of Denmark.\nb) Paris is the capital of France.\nc) Rome is the capital of Italy.";
    expect(splitOptions(task).options).toEqual([]);
    expect(feature(task, "multiple_choice")).toBe(0);
    expect(splitOptions("Which is largest?\n(A) 2\n(B) 3\n(C) 9").options).toEqual(["2", "3", "9"]);
    expect(feature("Which is largest?\nA) 2\nB) 3\nC) 9", "multiple_choice")).toBe(1);
  });

  it("measures word-problem steps and multiple-choice item structure, each only for its format", () => {
    expect(feature(GSM, "wp_quantities")).toBeGreaterThan(0);
    expect(feature(GSM, "wp_fractions")).toBeGreaterThan(0);
    expect(feature(GSM, "wp_money")).toBe(1);
    expect(feature(GSM, "wp_step_cues")).toBeGreaterThan(feature("Sam has 3 apples. How many apples does he have?", "wp_step_cues"));
    expect(feature(GSM, "mc_which_of")).toBe(0);
    expect(feature(MC, "wp_quantities")).toBe(0);
    expect(feature(MC, "mc_which_of")).toBe(1);
    expect(feature(MC, "mc_short_options")).toBe(1);
    expect(feature("Which is right?\nA. None of the above\nB. x = 2\nC. I and II\nD. II only", "mc_all_none")).toBe(1);
    expect(feature("Which is right?\nA. None of the above\nB. x = 2\nC. I and II\nD. II only", "mc_combination")).toBe(0.5);
  });

  it("sees the structures that make a word problem hard: relations, ages, totals, remainders, clock times", () => {
    const relations = "Together, Sofie, Anne, and Fawn have 85 books. If Sofie has 25 more books than Anne, and Anne has 12 fewer books than Fawn does, how many books does Fawn have?";
    expect(feature(relations, "wp_relations")).toBeCloseTo(Math.log1p(2), 9);
    expect(feature(relations, "wp_total_given")).toBe(1);
    expect(feature("Sam has 3 boxes and 4 bags. How many things in total does he have?", "wp_total_given")).toBe(0);
    expect(feature("Ann is 3 times as old as Bo. In 5 years Ann will be 2 years older than twice Bo's age. How old is Bo?", "wp_ages")).toBe(1);
    expect(feature(GSM, "wp_ages")).toBe(0);
    const remaining = "Carly had 80 cards, 2/5 had the letter A, 1/2 of the remaining had the letter B, 5/8 of the rest had C. How many had D?";
    expect(feature(remaining, "wp_remaining_chain")).toBeCloseTo(Math.log1p(2), 9);
    expect(feature("A train leaves at 9:30 am and arrives at 2 pm, 3 stops later. How long is the trip?", "wp_clock")).toBeCloseTo(Math.log1p(2), 9);
  });

  it("flags word problems, and not code, prose with numbers or multiple-choice items", () => {
    expect(feature(GSM, "word_problem")).toBe(1);
    expect(feature("There are 3 cats and 4 dogs in the story, the end.", "word_problem")).toBe(0);
    expect(feature("You are given two sorted lists of size m and n. Implement a function to find the 3rd and 5th smallest element. How fast is it?", "word_problem")).toBe(0);
    expect(feature("What does this print for 2 and 3?\n```js\nconsole.log(a + b);\n```", "word_problem")).toBe(0);
    expect(feature("How many primes are below 10?\nA. 3\nB. 4\nC. 5\nD. 6", "word_problem")).toBe(0);
  });

  it("recognises the task type", () => {
    expect(feature(MC, "multiple_choice")).toBe(1);
    expect(feature(MC, "numeric_options")).toBe(1);
    expect(feature(MC, "negation")).toBe(1);
    expect(feature(GSM, "multiple_choice")).toBe(0);
  });

  it("sees multi-step math in a word problem and not in small talk", () => {
    expect(feature(GSM, "multi_step_math")).toBeGreaterThan(0);
    expect(feature(GSM, "math_ask")).toBeGreaterThan(0);
    expect(feature("How are you today?", "multi_step_math")).toBe(0);
    expect(feature("Solve 3x + 5 = 20 for x", "math_operators")).toBeGreaterThan(0);
  });

  it("sees code, formal logic and reasoning cues", () => {
    const code = "Why does this fail?\n```js\nfunction f(a) {\n  return a.map((x) => x * 2);\n}\n```";
    expect(feature(code, "code")).toBeGreaterThan(0);
    expect(feature("Write a haiku about autumn.", "code")).toBe(0);
    expect(feature("Is (A ⊃ B) ≡ (~B ⊃ ~A) a tautology?", "formal_logic")).toBeGreaterThan(0);
    expect(feature("Explain why the sky is blue and compare it with sunsets.", "reasoning")).toBeGreaterThan(0);
  });

  it("measures length, parts, language and conversation depth", () => {
    expect(feature("short", "length")).toBeLessThan(feature(GSM, "length"));
    expect(feature("What is X? What is Y? What is Z?", "long_request")).toBe(1);
    expect(feature("Привет, как дела? Расскажи о себе.", "non_latin")).toBe(1);
    expect(feature("Hello there", "non_latin")).toBe(0);
    const history = [
      { role: "user" as const, content: "hi" },
      { role: "assistant" as const, content: "hello" },
    ];
    expect(feature("and then?", "conversation_depth", history)).toBeGreaterThan(0);
    expect(feature("and then?", "conversation_depth")).toBe(0);
  });

  it("infers broad domains from words, not from benchmark subjects", () => {
    expect(feature("The plaintiff sued the defendant for breach of contract in federal court.", "domain_law")).toBeGreaterThan(0.5);
    expect(feature("The patient presents with chronic pain and a blood infection.", "domain_medicine")).toBeGreaterThan(0.5);
  });

  it("hashes n-grams into unique, in-range, sorted buckets, deterministically", () => {
    const a = extractFeatures(GSM, undefined, { hashBits: HASH_BITS });
    const b = extractFeatures(GSM, undefined, { hashBits: HASH_BITS });
    expect([...a.hashedIndex]).toEqual([...b.hashedIndex]);
    expect(new Set(a.hashedIndex).size).toBe(a.hashedIndex.length);
    for (let i = 0; i < a.hashedIndex.length; i++) {
      expect(a.hashedIndex[i]!).toBeLessThan(1 << HASH_BITS);
      if (i > 0) expect(a.hashedIndex[i]!).toBeGreaterThan(a.hashedIndex[i - 1]!);
    }
    const norm = a.hashedValue.reduce((s, v) => s + v * v, 0);
    expect(norm).toBeCloseTo(1, 5);
    expect(fnv1a("a")).toBe(0xe40c292c);
  });

  it("reads a multiple-choice item's form without its subject: question form, options, steps, readability", () => {
    const item = "If a train travels 120 km in 2 hours, which of the following is NOT true?\nA. It travels 60 km/h\nB. It travels 1 km/min\nC. It covers 240 km in 4 hours\nD. It covers 30 km in 30 min\nAnswer:";
    expect(feature(item, "if_caps_negation")).toBe(1);
    expect(feature(item, "if_true_statement")).toBe(1);
    expect(feature(item, "if_conditions")).toBeGreaterThan(0);
    expect(feature(item, "if_option_units")).toBe(1);
    expect(feature(item, "if_quantities")).toBeGreaterThan(0.5);
    expect(feature(item, "if_option_mutual_overlap")).toBeGreaterThan(feature("Who wrote it?\nA. Jane Austen\nB. Mark Twain\nC. Leo Tolstoy\nD. Homer\nAnswer:", "if_option_mutual_overlap"));
    expect(feature("Who wrote it?\nA. Jane Austen\nB. Mark Twain\nC. Leo Tolstoy\nD. Homer\nAnswer:", "if_option_names")).toBe(0.75);
    expect(feature("Who wrote it?\nA. Jane Austen\nB. Mark Twain\nC. Leo Tolstoy\nD. Homer\nAnswer:", "if_wh_who_when_where")).toBe(1);
    expect(feature("The value of $\\frac{1}{2}$ is\nA. 0.5\nB. 2\nC. 1\nD. 0\nAnswer:", "if_latex_or_code")).toBe(1);
    // Free-form prompts get none of them.
    for (const name of FEATURE_GROUPS.item_form) expect(feature(GSM, name)).toBe(0);
  });

  it("hashes shape n-grams that keep a question's form and drop its subject words", () => {
    const shape = (p: string) => [...ngramsOf(extractFeatures(p, undefined, { hashBits: HASH_BITS }), "shape").index];
    const words = (p: string) => [...ngramsOf(extractFeatures(p, undefined, { hashBits: HASH_BITS }), "words").index];
    const law = "Which of the following is NOT a tort?\nA. battery\nB. trespass\nC. nuisance\nD. contract\nAnswer:";
    const bio = "Which of the following is NOT a gene?\nA. operon\nB. intron\nC. plasmid\nD. codons\nAnswer:";
    expect(shape(law)).toEqual(shape(bio));
    expect(words(law)).not.toEqual(words(bio));
    expect(shape(law).length).toBeGreaterThan(0);
    expect(ngramsOf(extractFeatures(law, undefined, { hashBits: HASH_BITS }), "none").index.length).toBe(0);
  });

  it("copes with empty and huge prompts", () => {
    expect(extractFeatures("", undefined, { hashBits: HASH_BITS }).hashedIndex.length).toBe(0);
    const huge = "word ".repeat(20000);
    expect(feature(huge, "length")).toBeGreaterThan(1);
  });
});
