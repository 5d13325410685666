# The image the k8s manifests run: one image, the role is chosen by `--role`.
FROM oven/bun:1.4
WORKDIR /app
COPY package.json package-lock.json ./
RUN bun install --production --frozen-lockfile || bun install --production
COPY . .
# mimalloc (Bun's allocator) hands memory it has not used for 100 ms back to the kernel, and a worker takes it back a
# few milliseconds later: at a paced rate of turns that was 27 page faults and 3.5 madvise calls per turn, a quarter of
# the worker's CPU on a virtual machine (BENCHMARKS.md). Kept, the memory costs a worker about 40 MB more RSS.
# `npm start` sets every ENV line here too (test/quickstart.test.ts holds it to that).
ENV MIMALLOC_PURGE_DELAY=-1
USER bun
EXPOSE 8080 9464
CMD ["bun", "main.ts"]
