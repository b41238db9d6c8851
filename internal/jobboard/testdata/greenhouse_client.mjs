// Drives hireloop's job board API with the published npm package
// greenhouse-jobboard-js, the way a careers site built on Greenhouse does,
// changing only the base URL. It prints what the client returned, in short,
// as one JSON object for the Go test to check.
//
// Environment: NODE_MODULES is the folder holding
// node_modules/greenhouse-jobboard-js; BASE is the server's address; BOARD,
// JOB_ID and DEPARTMENT_ID say what to ask for.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

// Load the package's ES module entry as its package.json declares it.
const require = createRequire(join(env("NODE_MODULES"), "package.json"));
const pkgFile = require.resolve("greenhouse-jobboard-js/package.json");
const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
const { JobBoardClientV1 } = await import(pathToFileURL(join(dirname(pkgFile), pkg.exports["."].import)).href);

// The client's one base-URL setting.
JobBoardClientV1.baseURL = env("BASE") + "/v1";

// A JSON client as a careers site would write one with fetch. Like
// Greenhouse, the API answers errors with a JSON body, which the client
// reads (a 404 carries {"status": 404}).
const client = {
  async get(url) {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    return res.json();
  },
};

const board = new JobBoardClientV1({ boardToken: env("BOARD"), client });
const jobID = Number(env("JOB_ID"));
const departmentID = Number(env("DEPARTMENT_ID"));

// Greenhouse escapes the HTML of a description once; a page unescapes it.
const unescape = (s) =>
  s.replace(/&(lt|gt|quot|#34|#39|amp);/g, (_, e) => ({ lt: "<", gt: ">", quot: '"', "#34": '"', "#39": "'", amp: "&" })[e]);

const jobSummary = (j) => ({
  id: j.id,
  internal_job_id: j.internal_job_id,
  title: j.title,
  requisition_id: j.requisition_id,
  location: j.location.name,
  absolute_url: j.absolute_url,
  updated_at_is_date: !Number.isNaN(Date.parse(j.updated_at)),
});
const listItem = (d) => ({
  id: d.id,
  name: d.name,
  parent_id: d.parent_id,
  child_ids: d.child_ids,
  job_ids: d.jobs.map((j) => j.id),
});
const treeNode = (d) => ({ name: d.name, job_ids: d.jobs.map((j) => j.id), children: d.children.map(treeNode) });

const jobs = await board.getJobList();
const withContent = await board.getJobListWithContent();
const job = await board.getJob(jobID);
const withQuestions = await board.getJobWithQuestions(jobID);
const departmentList = await board.getDepartmentList();
const departmentTree = await board.getDepartmentTree();
const departmentItem = await board.getDepartmentAsListItem(departmentID);
const departmentNode = await board.getDepartmentAsTreeNode(departmentID);
const other = new JobBoardClientV1({ boardToken: "no-such-board", client });

const contentJob = withContent.find((j) => j.id === jobID);
console.log(
  JSON.stringify({
    jobs: jobs.map(jobSummary).sort((a, b) => a.id - b.id),
    content_job: {
      ...jobSummary(contentJob),
      content_is_escaped: !/[<>]/.test(contentJob.content),
      html: unescape(contentJob.content),
      departments: contentJob.departments.map((d) => ({ id: d.id, name: d.name, parent_id: d.parent_id, child_ids: d.child_ids })),
    },
    job: { ...jobSummary(job), html: unescape(job.content), departments: job.departments.map((d) => d.name) },
    questions: withQuestions.questions.map((q) => ({
      label: q.label,
      required: q.required,
      fields: q.fields.map((f) => ({ name: f.name, type: f.type, values: f.values.map((v) => v.label) })),
    })),
    data_compliance: withQuestions.data_compliance,
    department_list: departmentList.map(listItem),
    department_tree: departmentTree.map(treeNode),
    department_item: listItem(departmentItem),
    department_node: treeNode(departmentNode),
    unknown_board_jobs: await other.getJobList(),
    unknown_board_departments: await other.getDepartmentList(),
  }),
);
